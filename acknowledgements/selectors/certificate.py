"""The certificate: one acknowledgement as an accessible PDF (portal.pdf), in the
language the employee signed in, with what is needed to check it, signed with the
municipality's certificate like the reports (portal.pdf.signing: PAdES, archival B-LTA
when a timestamp service is configured).

Signing costs a request to the timestamp service twice (signature and document
timestamps) and, for the long-term validation data, OCSP/CRL requests for the signing
certificate's and the timestamp service's chains: about 0.7 s against the local test
services (0.2 s for a plain signature) on a busy two-core machine, plus four network
round trips against a real service (more where a CA only publishes CRLs). So a
signed certificate is kept in the shared cache for CACHE_SECONDS: downloading it again
(a second click, another device) costs no new timestamps and gives the same file. Not
longer, and not on disk: the file bears the employee's name, which an erasure must
remove (an erasure deletes the cache entry at once); and signing at the moment of signing
would make the acknowledgement itself wait for, and fail with, the timestamp service.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from acknowledgements import hooks
from acknowledgements.models import Acknowledgement
from portal.pdf import page_counter_css, render_pdf, signing

CACHE_SECONDS = 60 * 60


def verification_address() -> str:
    """The verification page as staff reach it (the portal's own address)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("acknowledgements:verify")


def _certificate_pdf(record: Acknowledgement, *, request: HttpRequest | None = None) -> bytes:
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
            "guideline_title": version.guideline.title_in(language),
            "guideline_title_language": (
                "en" if language == "en" and version.guideline.title_en else "nl"
            ),
            "round_name": hooks.round_names(ids=[record.campaign_id]).get(
                record.campaign_id or 0, ""
            ),
            "verify_url": verification_address(),
            "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
            "municipality_logo": settings.PORTAL_LOGO,
            "page_counter": page_counter_css(gettext("page %(page)s of %(pages)s")),
        }
        html = render_to_string("acknowledgements/certificate.html", context, request=request)
    return render_pdf(html, language=language, title=title)


def _language(record: Acknowledgement) -> str:
    return record.language if record.language in ("nl", "en") else "nl"


def certificate_cache_key(*, record_hash: str) -> str:
    """Where the signed certificate of an entry is kept. The settings are in the key:
    another certificate or timestamp service signs anew."""
    parts = (record_hash, settings.REPORTS_SIGNING_CERTIFICATE, settings.PDF_TIMESTAMP_URL)
    return "acknowledgements:certificate:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def signed_certificate_pdf(*, record: Acknowledgement, request: HttpRequest | None = None) -> bytes:
    """The certificate PDF, signed (see the module's notes on the cache). Raises
    portal.pdf.signing.SigningNotConfigured or ArchivalSigningFailed."""
    key = certificate_cache_key(record_hash=record.entry.record_hash)
    cached: bytes | None = cache.get(key)
    if cached is not None:
        return cached
    pdf = _certificate_pdf(record, request=request)
    with translation.override(_language(record)):
        reason = gettext("Certificate %(code)s") % {"code": record.entry.verification_code}
    signed = signing.sign_pdf(pdf, reason=reason, location=settings.PORTAL_MUNICIPALITY_NAME)
    cache.set(key, signed, CACHE_SECONDS)
    return signed
