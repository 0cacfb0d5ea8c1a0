from django.conf import settings


def branding(request) -> dict:
    """Municipality name, logo and main colour: settings, so each customer has its own."""
    return {
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "municipality_logo": settings.PORTAL_LOGO,
        "main_colour": settings.PORTAL_MAIN_COLOUR,
    }


def roles(request) -> dict:
    """The user's roles for the menu (one cached lookup per request)."""
    from people.roles import Role
    from people.selectors import roles_of

    user_roles = roles_of(request.user) if hasattr(request, "user") else set()
    return {"is_manager": Role.MANAGER in user_roles}
