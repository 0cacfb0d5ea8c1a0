from django.utils import translation
from django.utils.translation import gettext


def nl(message: str, **params) -> str:
    """A UI string as the Dutch portal shows it (the English id until it is translated)."""
    with translation.override("nl"):
        text = gettext(message)
    return text % params if params else text
