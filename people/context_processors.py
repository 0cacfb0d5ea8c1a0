from people.roles import Role
from people.selectors import object_roles_of, roles_of


def roles(request) -> dict:
    """The user's roles for the menu (one cached lookup per request)."""
    user_roles = roles_of(user=request.user) if hasattr(request, "user") else set()
    on_objects = object_roles_of(user=request.user) if hasattr(request, "user") else set()
    return {
        "is_manager": Role.MANAGER in user_roles,
        # An editor of one guideline or more (people.ObjectRoleGrant): the editors' menu.
        "edits_a_guideline": Role.EDITOR in on_objects,
    }
