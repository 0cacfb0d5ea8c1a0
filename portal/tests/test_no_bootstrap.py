"""No Bootstrap left: every template served to a browser uses NL Design System's
component classes and the portal's own layout classes (static/portal/css/portal.css).
A Bootstrap class name would now style nothing, so it is a bug, not a leftover."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Not for a browser: e-mails and the HTML of PDFs (WeasyPrint) keep their own styles;
# the admin's overrides use the admin's classes.
NOT_FOR_A_BROWSER = ("email", "pdf", "admin", "mail")
BOOTSTRAP_CLASS = re.compile(
    r"^(?:btn(?:-[a-z-]+)?|row|col(?:-[a-z0-9-]+)?|g-\d|g[xy]-\d|[mp][tbsexy]?-(?:\d|auto)"
    r"|alert(?:-[a-z]+)?|table(?:-[a-z]+)?|d-(?:flex|block|inline|inline-block|none|grid)"
    r"|flex-[a-z-]+|gap-\d|align-[a-z-]+|justify-content-[a-z-]+|text-(?:end|start|center"
    r"|break|danger|success|muted|body-secondary|bg-[a-z]+)|fw-[a-z]+|fs-\d|h[1-6]"
    r"|small|lead|badge|card(?:-[a-z]+)?|list-(?:unstyled|inline|inline-item|group)"
    r"|breadcrumb(?:-item)?|page-(?:item|link)|pagination|nav(?:-[a-z]+)?|navbar|container"
    r"|form-(?:label|control|select|check|check-input|check-label|text)|invalid-feedback"
    r"|is-invalid|w-\d+|w-auto|border(?:-[a-z]+)?|rounded"
    r"|min-vh-100|mt-auto|ms-auto|me-auto|progress)$"
)
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def _browser_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if not set(path.relative_to(TEMPLATES).parts[:-1]) & set(NOT_FOR_A_BROWSER)
        and not path.name.startswith(("email", "pdf"))
    )


def _bootstrap_classes(path: Path) -> list[str]:
    found = []
    for value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
        # Template tags inside the attribute are left out; their literal parts count.
        literal = re.sub(r"{%.*?%}|{{.*?}}", " ", value)
        found.extend(word for word in literal.split() if BOOTSTRAP_CLASS.match(word))
    return found


@pytest.mark.parametrize("path", _browser_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_browser_template_uses_no_bootstrap_class(path):
    assert _bootstrap_classes(path) == []


def test_the_check_recognises_a_bootstrap_class(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<a class="btn btn-primary mb-3" href="/">x</a><div class="utrecht-alert">')

    assert _bootstrap_classes(page) == ["btn", "btn-primary", "mb-3"]
