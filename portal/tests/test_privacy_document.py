"""docs/privacy.md states every retention period as the settings have it: the test reads
the figures from the settings, so the processing register entry cannot drift."""

import re
from pathlib import Path

import pytest
from django.conf import settings

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def _retention_settings() -> list[str]:
    return sorted(
        name
        for name in dir(settings)
        if name.isupper() and "RETENTION" in name and isinstance(getattr(settings, name), int)
    )


def _variable(name: str) -> str:
    """The environment variable a setting is read from (config.settings: PORTAL_...)."""
    return name if name.startswith("PORTAL_") else f"PORTAL_{name}"


def _unit(name: str) -> str:
    return "years" if "YEARS" in name else "days"


def test_the_settings_have_retention_periods_to_check():
    assert len(_retention_settings()) >= 6


@pytest.mark.parametrize("name", _retention_settings())
def test_the_privacy_document_states_each_retention_period_as_set(name):
    value, unit, variable = getattr(settings, name), _unit(name), _variable(name)
    lines = [line for line in DOCUMENT.read_text().splitlines() if f"`{variable}`" in line]

    assert lines, f"docs/privacy.md does not name {variable}"
    for line in lines:
        stated = {int(number) for number in re.findall(rf"(\d+) {unit}\b", line)}
        assert stated == {value}, f"docs/privacy.md: {variable} is {value} {unit}, not {stated}"


def test_the_readme_links_the_privacy_document():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()

    assert "docs/privacy.md" in readme
