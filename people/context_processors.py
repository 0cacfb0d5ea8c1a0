from people.roles import Role
from people.selectors import object_roles_of, roles_of

TECHNICAL_ROLES = {Role.HR, Role.AUDITOR, Role.ADMINISTRATOR}


def roles(request) -> dict:
    """The user's roles for the menu (one cached lookup per request)."""
    user_roles = roles_of(user=request.user) if hasattr(request, "user") else set()
    on_objects = object_roles_of(user=request.user) if hasattr(request, "user") else set()
    return {
        "is_manager": Role.MANAGER in user_roles,
        # An editor of one guideline or more (people.ObjectRoleGrant): the editors' menu.
        "edits_a_guideline": Role.EDITOR in on_objects,
        # An HR adviser of a part of the organisation (the HR role on a department): HR's
        # menu (campaigns, reports, staff), each page limited to that part.
        "advises_a_part": Role.HR in on_objects,
        # Hashes and other technical detail open at once for those who check records
        # (HR, also an adviser of a part, auditors, administrators); behind a
        # "Technical details" disclosure for everyone else.
        "shows_technical_details": bool(user_roles & TECHNICAL_ROLES) or Role.HR in on_objects,
    }
