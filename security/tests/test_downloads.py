"""Every download of personal data is in the security log: who, what, when, from where
and whose (security.services.record_download; the middleware records any other file).

The walk: every URL of the URLconf whose view sends a file (read from the views' code:
an attachment, a FileResponse, a recorded download) is either in DOWNLOADS, requested
here and checked to be logged, or in NOT_PERSONAL with the reason. A new download view
fails the first test until it is listed."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, select
from security import selectors
from security.middleware import SecurityEventMiddleware
from security.models import SecurityEvent
from security.services import record_download, record_event

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
ADDRESS = "192.0.2.44"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Files that hold nobody's personal data (the middleware logs those sent as attachments
# all the same).
NOT_PERSONAL = {
    "handbook:pdf": "a version's text, shown in the browser",
    "handbook:export": "a version's text as a file, for its editors",
    "quiz_editor:export": "a version's question bank",
}
APPS = {"people", "security", "handbook", "quizzes", "acknowledgements", "campaigns", "reports"}
SENDS_A_FILE = re.compile(r"Content-Disposition|FileResponse|as_attachment|record_download")


def _patterns(patterns, namespace: str = "") -> Iterator[tuple[str, Callable]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _code_of(callback) -> Iterator[str]:
    """The source of the view (its class and the portal's classes it inherits from),
    and of the functions of their modules it calls."""
    view_class = getattr(callback, "view_class", None)
    owners = [callback] if view_class is None else list(view_class.__mro__)
    for owner in owners:
        module = inspect.getmodule(owner)
        if module is None or module.__name__.split(".")[0] not in APPS:
            continue
        source = inspect.getsource(owner)
        yield source
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and re.search(rf"\b{name}\(", source)
            ):
                yield inspect.getsource(function)


def views_that_send_files() -> set[str]:
    return {
        name
        for name, callback in _patterns(get_resolver().url_patterns)
        if any(SENDS_A_FILE.search(code) for code in _code_of(callback))
    }


# What each download is, asked by whom, about whom --------------------------------------


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.PORTAL_MFA_REQUIRED = False
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def world(db):
    from acknowledgements import services as ledger
    from acknowledgements.tests.factories import ready_to_sign, signed
    from campaigns.tests.hr_support import launched
    from quizzes.tests.factories import quiz_version, submitted_attempt

    hr = EmployeeFactory(hr=True)
    version = quiz_version(tips=2)
    employee = EmployeeFactory(first_name="Sanne", last_name="Getekend")
    ready_to_sign(employee, version)
    record = signed(employee, version)
    field_worker = EmployeeFactory(first_name="Piet", last_name="Veld")
    on_behalf = ledger.record_on_behalf(
        employee=field_worker,
        version=version,
        recorded_by=hr,
        reason="buitendienst, getekend op papier",
        signed_at=timezone.now(),
        paper_form=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
    )
    submitted_attempt(employee=employee, version=version)
    return {
        "hr": hr,
        "auditor": EmployeeFactory(auditor=True, preferred_language="en"),
        "editor": EmployeeFactory(editor=True),
        "employee": employee,
        "field_worker": field_worker,
        "version": version,
        "record": record,
        "on_behalf": on_behalf,
        "campaign": launched(version, by=hr),
    }


def _report(world) -> str:
    from reports import services
    from reports.services import generation

    report = services.request_report(format="csv", version=world["version"], enqueue=False)
    generation.generate(report_id=report.pk)
    return reverse("reports:download", args=[report.pk])


def _destruction_list(world) -> str:
    from acknowledgements.services import destruction

    row = destruction.propose_destruction(proposed_by=world["hr"])
    return reverse("ledger:destruction_csv", args=[row.pk])


def _quiz_editor(name: str, world, **query) -> str:
    from quizzes.tests.factories import editor_url

    query = {"versie": world["version"].number, **query}
    return editor_url(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _code(world, key: str = "record") -> str:
    return world[key].entry.verification_code


# name: (who asks, the address, what the log says it was (None: the page's name only),
# whose it is (None: many people's, or nobody's in particular)).
DOWNLOADS: dict[str, Callable[[dict], tuple[str, str, str | None, str | None]]] = {
    "campaigns:overdue_csv": lambda w: (
        "hr",
        reverse("campaigns:overdue_csv", args=[w["campaign"].pk]),
        "overdue_list",
        None,
    ),
    "quiz_editor:statistics_csv": lambda w: (
        "editor",
        _quiz_editor("statistics_csv", w),
        "quiz_statistics",
        None,
    ),
    "quiz_editor:statistics": lambda w: (
        "editor",
        _quiz_editor("statistics", w, format="csv"),
        "quiz_statistics",
        None,
    ),
    "ledger:paper_form": lambda w: (
        "auditor",
        reverse("ledger:paper_form", args=[w["on_behalf"].entry.sequence]),
        "paper_form",
        "field_worker",
    ),
    "ledger:export": lambda w: ("auditor", reverse("ledger:export"), "ledger", None),
    "acknowledgements:personal_data_download": lambda w: (
        "employee",
        reverse("acknowledgements:personal_data_download"),
        "personal_data",
        "employee",
    ),
    "acknowledgements:personal_data_pdf": lambda w: (
        "employee",
        reverse("acknowledgements:personal_data_pdf"),
        "personal_data",
        "employee",
    ),
    "acknowledgements:certificate": lambda w: (
        "hr",
        reverse("acknowledgements:certificate", args=[_code(w)]),
        "certificate",
        "employee",
    ),
    "acknowledgements:receipt": lambda w: (
        "hr",
        reverse("acknowledgements:receipt", args=[_code(w)]),
        "receipt",
        "employee",
    ),
    "reports:download": lambda w: ("hr", _report(w), "report", None),
    "ledger:destruction_csv": lambda w: ("hr", _destruction_list(w), None, None),
}


def test_every_view_that_sends_a_file_is_walked_here_or_holds_no_personal_data():
    unlisted = views_that_send_files() - set(DOWNLOADS) - set(NOT_PERSONAL)

    assert not unlisted, (
        f"{sorted(unlisted)} send a file: add each to DOWNLOADS (and log it with "
        "security.services.record_download) or, holding no personal data, to NOT_PERSONAL."
    )


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_download_of_personal_data_is_logged_with_who_when_and_from_where(world, name):
    if name not in views_that_send_files():
        pytest.skip(f"{name} is not in the URLconf (yet)")
    who, url, what, whose = DOWNLOADS[name](world)
    client = Client()
    client.force_login(world[who])
    before = timezone.now()

    response = client.get(url, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 200, name
    if response.streaming:  # read to the end, as a browser does
        b"".join(response.streaming_content)
    (event,) = SecurityEvent.objects.filter(kind=Kind.EXPORT, details__action="download")
    assert (event.actor, event.ip_address) == (world[who], ADDRESS)
    assert event.created_at >= before
    assert event.details["view"] == name
    assert event.details.get("what") == what
    assert event.subject == (world[whose] if whose else None)


def test_ones_own_receipt_page_is_not_a_download(world):
    client = Client()
    client.force_login(world["employee"])

    client.get(reverse("acknowledgements:receipt", args=[_code(world)]))

    assert not SecurityEvent.objects.filter(kind=Kind.EXPORT).exists()


def test_a_download_recorded_by_its_view_is_not_logged_twice(world):
    client = Client()
    client.force_login(world["hr"])

    client.get(reverse("campaigns:overdue_csv", args=[world["campaign"].pk]))

    assert SecurityEvent.objects.filter(kind=Kind.EXPORT).count() == 1


def test_a_file_streamed_from_storage_is_logged_even_when_shown_in_the_browser(world):
    """A careless view that forgets both the log and ``attachment``: the middleware still
    records a FileResponse."""
    request = RequestFactory().get("/iets/", REMOTE_ADDR=ADDRESS)
    request.user = world["hr"]
    request.resolver_match = None

    def careless_view(request):
        import io

        return FileResponse(io.BytesIO(PDF), content_type="application/pdf")

    SecurityEventMiddleware(careless_view)(request)

    (event,) = SecurityEvent.objects.filter(kind=Kind.EXPORT)
    assert (event.actor, event.ip_address, event.details["format"]) == (
        world["hr"],
        ADDRESS,
        "pdf",
    )


def test_a_refused_file_is_not_logged(world):
    request = RequestFactory().get("/iets/")
    request.user = world["hr"]
    request.resolver_match = None

    def refusing_view(request):
        response = HttpResponse("nee", status=403)
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    SecurityEventMiddleware(refusing_view)(request)

    assert not SecurityEvent.objects.filter(kind=Kind.EXPORT).exists()


def test_record_download_names_the_file_and_whose_it_is(world):
    request = RequestFactory().get("/iets/", REMOTE_ADDR=ADDRESS)
    request.user = world["auditor"]
    response = HttpResponse(b"a;b", content_type="text/csv; charset=utf-8")

    returned = record_download(
        request=request, response=response, what="overdue_list", subject=world["employee"]
    )

    assert returned is response
    event = SecurityEvent.objects.get(kind=Kind.EXPORT)
    assert (event.actor, event.subject, event.ip_address) == (
        world["auditor"],
        world["employee"],
        ADDRESS,
    )
    assert event.details == {
        "action": "download",
        "what": "overdue_list",
        "view": "",
        "format": "csv",
    }


def test_the_auditor_filters_the_log_on_downloads(world):
    client = Client()
    client.force_login(world["hr"])
    client.get(reverse("campaigns:overdue_csv", args=[world["campaign"].pk]))
    record_event(kind=Kind.EXPORT, actor=world["hr"], details={"action": "report_requested"})
    auditor = Client()
    auditor.force_login(world["auditor"])

    response = auditor.get(reverse("security:log"), {"soort": selectors.DOWNLOADS})

    rows = select(parse(response), "#security-events tbody tr")
    assert len(rows) == 1
    assert "Overdue list" in rows[0].text()
    assert response.context["events"][0].details["what"] == "overdue_list"
