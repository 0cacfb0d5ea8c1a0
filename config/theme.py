"""The municipality's look: NL Design System design tokens in a static CSS file.

A theme is a style sheet of CSS custom properties (design tokens) under one class, such
as the NL Design System's Voorbeeld theme (`.voorbeeld-theme { --basis-...: ...; }`). The
portal puts that class on <html>, so its tokens reach every component; no template and
no inline style changes per municipality, and the Content-Security-Policy stays strict.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# A CSS class name: what a theme file's selector (".gemeente-x-theme") can use.
THEME_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]{0,63}")
# A static path: folders and a file name, no "..", no scheme, ending in .css.
STATIC_CSS_PATH = re.compile(r"(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.css")
STATIC_IMAGE_PATH = re.compile(
    r"(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(?:svg|png|ico|webp)"
)


def theme_class(value: str) -> str:
    if not THEME_CLASS.fullmatch(value):
        raise ImproperlyConfigured(
            f"PORTAL_THEME_CLASS must be one CSS class name (the selector of the theme's "
            f"tokens, e.g. voorbeeld-theme), not {value!r}."
        )
    return value


def static_paths(values: list[str], *, name: str, pattern: re.Pattern[str]) -> list[str]:
    for value in values:
        if ".." in value.split("/") or not pattern.fullmatch(value):
            raise ImproperlyConfigured(
                f"{name} must name files under the static files (such as "
                f"theme/gemeente.css), not {value!r}."
            )
    return values


def theme_folder(value: str) -> list[Path]:
    """The municipality's own static folder (theme, logo, favicon, fonts), if any."""
    if not value:
        return []
    folder = Path(value)
    if not folder.is_absolute() or not folder.is_dir():
        raise ImproperlyConfigured(
            f"PORTAL_THEME_DIR must be an absolute path to an existing folder, not {value!r}."
        )
    return [folder]


def refuse_main_colour() -> None:
    """The header colour was once a setting with an inline <style>: it is now a token."""
    if "PORTAL_MAIN_COLOUR" in os.environ:
        raise ImproperlyConfigured(
            "PORTAL_MAIN_COLOUR is no longer read: the colours come from the theme's "
            "design tokens (PORTAL_THEME_STYLESHEETS; README, 'Your municipality's "
            "look'). Set --portal-header-background-color there and remove "
            "PORTAL_MAIN_COLOUR from the environment."
        )
