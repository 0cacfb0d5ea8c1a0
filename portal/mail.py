"""The portal's one way to build an e-mail: plain text and HTML from templates, in the
reader's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
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
        subject = render_subject(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def render_subject(template_name: str, context: dict) -> str:
    """A subject template as one line of plain text: without HTML escaping (a subject is
    not HTML: a name like O'Brien & Zoon stays as written, not "O&#x27;Brien &amp; Zoon").
    The mail client shows it as text, so nothing in it can run."""
    template = get_template(template_name).template
    return " ".join(template.render(Context(context, autoescape=False)).split())
