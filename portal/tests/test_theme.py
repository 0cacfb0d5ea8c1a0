"""The municipality's look (config/theme.py): NL Design System tokens in a static file,
set by settings that fail closed; the pages carry no inline style."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config import theme

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "nl-design-system"
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"


@pytest.mark.parametrize("value", ["voorbeeld-theme", "gemeente-utrecht", "_x"])
def test_a_theme_class_is_one_css_class_name(value):
    assert theme.theme_class(value) == value


@pytest.mark.parametrize("value", ["", "two classes", "x;}body{", "9lives", "a" * 65])
def test_anything_else_as_theme_class_refuses_to_start(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_THEME_CLASS"):
        theme.theme_class(value)


@pytest.mark.parametrize(
    "value",
    ["../secret.css", "theme/../../x.css", "https://cdn.example/x.css", "theme.js", "/abs.css"],
)
def test_a_theme_stylesheet_outside_the_static_files_refuses_to_start(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_THEME_STYLESHEETS"):
        theme.static_paths([value], name="PORTAL_THEME_STYLESHEETS", pattern=theme.STATIC_CSS_PATH)


def test_a_relative_or_missing_theme_folder_refuses_to_start(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_THEME_DIR"):
        theme.theme_folder("theme")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_THEME_DIR"):
        theme.theme_folder(str(tmp_path / "missing"))
    assert theme.theme_folder(str(tmp_path)) == [tmp_path]


def test_the_retired_main_colour_setting_refuses_to_start(monkeypatch):
    monkeypatch.setenv("PORTAL_MAIN_COLOUR", "#00579c")

    with pytest.raises(ImproperlyConfigured, match="theme"):
        theme.refuse_main_colour()


@pytest.mark.django_db
def test_a_page_carries_the_theme_class_and_stylesheets_and_no_inline_style(client, settings):
    settings.PORTAL_THEME_STYLESHEETS = ["vendor/nl-design-system/voorbeeld-theme.css"]
    settings.PORTAL_THEME_CLASS = "gemeente-x-theme"

    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<html lang="nl" class="utrecht-root gemeente-x-theme">', html)
    assert "vendor/nl-design-system/voorbeeld-theme" in html
    assert "<style" not in html
    assert 'rel="icon"' in html


def test_the_page_layout_takes_its_colours_from_tokens_only():
    """portal.css may name a colour only as a token's fallback or for fixed-contrast
    states; the header, menu and focus colours come from --portal-* tokens."""
    css = (Path(settings.BASE_DIR) / "static" / "portal" / "css" / "portal.css").read_text()

    for selector in (".portal-nav {", ".portal-nav__link {", ".portal-footer {"):
        rule = css[css.index(selector) : css.index("}", css.index(selector))]
        assert "#" not in rule, f"{selector} uses a fixed colour instead of a token"


@pytest.mark.parametrize(
    ("copy", "package", "source"),
    [
        ("utrecht-component-library.css", "@utrecht/component-library-css", "dist/index.css"),
        ("utrecht-html.css", "@utrecht/component-library-css", "dist/html.css"),
        (
            "voorbeeld-theme.css",
            "@nl-design-system-unstable/voorbeeld-design-tokens",
            "dist/theme.css",
        ),
    ],
)
def test_the_committed_nl_design_system_css_is_the_installed_package(copy, package, source):
    if not (NODE_MODULES / package).is_dir():
        pytest.skip("npm ci has not run (make test runs it)")
    installed = NODE_MODULES / package / source
    version = json.loads((NODE_MODULES / package / "package.json").read_text())["version"]

    assert (VENDOR / copy).read_bytes() == installed.read_bytes(), (
        f"static/vendor/nl-design-system/{copy} differs from {package} {version}: "
        "run scripts/vendor-nl-design-system.sh"
    )
    assert f"`{package}` | {version} |" in (VENDOR / "README.md").read_text()


def test_the_committed_fonts_are_the_installed_packages_files():
    fonts = sorted((Path(settings.BASE_DIR) / "static" / "vendor" / "fonts").glob("*/*.woff2"))
    if not (NODE_MODULES / "@fontsource").is_dir():
        pytest.skip("npm ci has not run (make test runs it)")

    assert len(fonts) == 10
    for font in fonts:
        installed = NODE_MODULES / "@fontsource" / font.parent.name / "files" / font.name
        assert font.read_bytes() == installed.read_bytes(), font.name


def test_every_font_the_font_css_names_is_there():
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts"
    named = re.findall(r"url\(([^)]+)\)", (folder / "noto.css").read_text())

    assert named and all((folder / name).is_file() for name in named)
