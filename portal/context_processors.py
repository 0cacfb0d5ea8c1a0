from django.conf import settings


def branding(request) -> dict:
    """Municipality name, logo and main colour: settings, so each customer has its own."""
    return {
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "municipality_logo": settings.PORTAL_LOGO,
        "main_colour": settings.PORTAL_MAIN_COLOUR,
    }
