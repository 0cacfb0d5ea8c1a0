"""The certificate: one acknowledgement as an accessible PDF (portal.pdf), in the
language the employee signed in, with what is needed to check it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.pdf import page_counter_css, render_pdf


def verification_address() -> str:
    """The verification page as staff reach it (the portal's own address)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("acknowledgements:verify")


def certificate_pdf(record, *, request=None) -> bytes:
    """The PDF of an acknowledgement (select_related entry, employee, version)."""
    language = record.language if record.language in ("nl", "en") else "nl"
    version = record.version
    with translation.override(language):
        title = gettext("Certificate: %(name)s signed version %(number)s") % {
            "name": record.employee.full_name,
            "number": version.number,
        }
        context = {
            "record": record,
            "version": version,
            "language": language,
            "title": title,
            "version_title": version.title_in(language),
            "version_title_language": "en" if language == "en" and version.title_en else "nl",
            "verify_url": verification_address(),
            "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
            "municipality_logo": settings.PORTAL_LOGO,
            "page_counter": page_counter_css(gettext("page %(page)s of %(pages)s")),
        }
        html = render_to_string("acknowledgements/certificate.html", context, request=request)
    return render_pdf(html, language=language, title=title)
