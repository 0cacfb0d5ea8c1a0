"""The portal's one way to build an e-mail: plain text and HTML from templates, in the
reader's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def templated_email(
    template: str,
    context: dict,
    *,
    to: list[str],
    language: str | None = None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """The e-mail made of ``{template}_subject.txt``, ``{template}.txt`` and
    ``{template}.html`` (e.g. ``"people/email/invitation"``), rendered in ``language``
    (default: the portal's). The subject is one line whatever the template's layout."""
    context = {"municipality_name": settings.PORTAL_MUNICIPALITY_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
