from django.conf import settings


def branding(request) -> dict:
    """The municipality's name, logo, favicon and theme (style sheets of NL Design System
    design tokens and their class): settings, so each customer has its own look."""
    return {
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "municipality_logo": settings.PORTAL_LOGO,
        "favicon": settings.PORTAL_FAVICON,
        "theme_stylesheets": settings.PORTAL_THEME_STYLESHEETS,
        "theme_class": settings.PORTAL_THEME_CLASS,
    }
