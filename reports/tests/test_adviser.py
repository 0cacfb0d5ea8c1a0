"""An HR adviser of a part of the organisation (the HR role on a department,
people.ObjectRoleGrant) and the reports: they make reports of their part only, see and
download only the reports whose stored scope lies inside it, and a report says which
part it covers. Central HR keeps seeing every report."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.models import Employee
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report, ReportEvent
from reports.services import generation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def tree(db):
    ruimte = DepartmentFactory(code="RUIMTE", name="Directie Ruimte")
    vergunningen = DepartmentFactory(code="VERG", name="Vergunningen", parent=ruimte)
    sociaal = DepartmentFactory(code="SOC", name="Directie Sociaal")
    return {"ruimte": ruimte, "vergunningen": vergunningen, "sociaal": sociaal}


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


@pytest.fixture
def people(tree):
    return {
        "inside": EmployeeFactory(
            first_name="Ina",
            last_name="Binnen",
            employee_number="1001",
            department=tree["vergunningen"],
        ),
        "outside": EmployeeFactory(
            first_name="Otto",
            last_name="Buiten",
            employee_number="2002",
            department=tree["sociaal"],
        ),
    }


def adviser_of(*departments) -> Employee:
    adviser = EmployeeFactory(first_name="Ada", last_name="Adviseur")
    for department in departments:
        grant_object_role(actor=None, employee=adviser, role=Role.HR, target=department)
    return Employee.objects.get(pk=adviser.pk)


@pytest.fixture
def adviser(tree):
    return adviser_of(tree["ruimte"])


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def made(*, format: str = Report.Format.CSV, **kwargs) -> Report:
    report = services.request_report(format=format, enqueue=False, **kwargs)
    return generation.generate(report_id=report.pk)


def csv_of(report: Report) -> str:
    with report.file.open("rb") as handle:
        return handle.read().decode("utf-8-sig")


def form_data(**overrides) -> dict:
    data = {
        "basis": "version",
        "campaign": "",
        "as_of": TODAY.isoformat(),
        "format": "csv",
        "language": "en",
        "delimiter": ";",
    }
    data.update(overrides)
    return data


# Making a report ---------------------------------------------------------------------------


def test_an_advisers_report_without_departments_chosen_covers_their_part(
    adviser_client, adviser, version, people, tree
):
    response = adviser_client.post(reverse("reports:create"), form_data(version=version.pk))

    report = Report.objects.get(requested_by=adviser)
    assert response.status_code == 302
    assert list(report.departments.all()) == [tree["ruimte"]]


def test_an_advisers_report_lists_only_the_people_of_their_part(adviser, version, people):
    report = made(version=version, by=adviser)

    content = csv_of(report)
    assert "Binnen" in content
    assert "Buiten" not in content


def test_an_advisers_workbook_says_in_words_which_part_it_covers(adviser, version, people):
    from openpyxl import load_workbook

    report = made(version=version, by=adviser, language="en", format=Report.Format.XLSX)

    with report.file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        cells = [str(cell) for sheet in workbook for row in sheet.values for cell in row]
    assert "RUIMTE Directie Ruimte (with their sub-departments)" in cells


def test_an_advisers_report_page_names_the_part_it_covers(adviser_client, adviser, version):
    report = made(version=version, by=adviser, language="en")

    page = adviser_client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "Directie Ruimte (met hun onderafdelingen)" in page


def test_a_forged_report_request_for_another_department_is_refused(
    adviser_client, adviser, version, tree
):
    response = adviser_client.post(
        reverse("reports:create"),
        form_data(version=version.pk, departments=[tree["sociaal"].pk]),
    )

    assert response.status_code == 400
    assert not Report.objects.filter(requested_by=adviser).exists()


def test_the_request_form_offers_only_the_departments_of_the_part(adviser_client, tree):
    page = adviser_client.get(reverse("reports:create")).content.decode()

    assert f'value="{tree["vergunningen"].pk}"' in page
    assert f'value="{tree["sociaal"].pk}"' not in page


def test_a_forged_report_request_on_another_directorates_campaign_is_refused(
    adviser_client, adviser, version, people, tree
):
    from campaigns.models import Campaign
    from campaigns.tests.factories import launched_campaign

    theirs = launched_campaign(
        version,
        name="Sociaal",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["sociaal"]],
    )

    response = adviser_client.post(
        reverse("reports:create"), form_data(basis="campaign", campaign=theirs.pk)
    )

    assert response.status_code == 400
    assert not Report.objects.filter(requested_by=adviser).exists()


def test_the_request_form_offers_the_campaigns_that_touch_the_part(
    adviser_client, version, people, tree
):
    from campaigns.models import Campaign
    from campaigns.tests.factories import launched_campaign

    ours = launched_campaign(
        version, name="Ruimte", audience=Campaign.Audience.DEPARTMENTS, departments=[tree["ruimte"]]
    )
    theirs = launched_campaign(
        version,
        name="Sociaal",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["sociaal"]],
    )

    offered = adviser_client.get(reverse("reports:create")).context["form"].fields["campaign"]

    assert list(offered.queryset) == [ours]
    assert theirs not in offered.queryset


def test_the_service_refuses_an_adviser_a_report_on_another_department(adviser, version, tree):
    with pytest.raises(PermissionDenied):
        services.request_report(
            version=version, departments=[tree["sociaal"]], by=adviser, enqueue=False
        )


def test_the_service_refuses_an_adviser_a_report_on_their_part_and_another(adviser, version, tree):
    with pytest.raises(PermissionDenied):
        services.request_report(
            version=version,
            departments=[tree["vergunningen"], tree["sociaal"]],
            by=adviser,
            enqueue=False,
        )


def test_the_service_refuses_someone_without_the_permission_or_a_part(version):
    with pytest.raises(PermissionDenied):
        services.request_report(version=version, by=EmployeeFactory(), enqueue=False)


# Seeing and downloading reports ------------------------------------------------------------


@pytest.fixture
def central(version, people):
    """Central HR's report on everyone."""
    return made(version=version, by=EmployeeFactory(hr=True))


REPORT_PAGES = ["reports:detail", "reports:status", "reports:download"]


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_a_central_report_on_everyone_is_not_found_by_an_adviser(adviser_client, central, name):
    response = adviser_client.get(reverse(name, args=[central.pk]))

    assert response.status_code == 404


def test_guessing_a_central_reports_id_downloads_nothing_and_logs_nothing(adviser_client, central):
    downloads = ReportEvent.objects.filter(kind=ReportEvent.Kind.DOWNLOADED).count()

    for pk in range(max(central.pk - 2, 1), central.pk + 3):
        assert adviser_client.get(reverse("reports:download", args=[pk])).status_code == 404

    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.DOWNLOADED).count() == downloads


def test_an_adviser_cannot_retry_a_central_report(adviser_client, central):
    Report.objects.filter(pk=central.pk).update(status=Report.Status.FAILED)

    response = adviser_client.post(reverse("reports:retry", args=[central.pk]))

    assert response.status_code == 404
    assert Report.objects.get(pk=central.pk).status == Report.Status.FAILED


def test_the_retry_service_refuses_an_adviser_a_central_report(adviser, central):
    Report.objects.filter(pk=central.pk).update(status=Report.Status.FAILED)

    with pytest.raises(PermissionDenied):
        services.retry_report(report=central, by=adviser)


def test_the_report_list_shows_an_adviser_only_the_reports_of_their_part(
    adviser_client, adviser, central, version
):
    own = made(version=version, by=adviser)

    page = adviser_client.get(reverse("reports:list")).content.decode()

    assert reverse("reports:detail", args=[own.pk]) in page
    assert reverse("reports:detail", args=[central.pk]) not in page


def test_central_hrs_report_on_a_department_in_the_part_is_the_advisers_too(
    adviser_client, version, tree
):
    report = made(version=version, departments=[tree["vergunningen"]], by=EmployeeFactory(hr=True))

    response = adviser_client.get(reverse("reports:download", args=[report.pk]))

    assert response.status_code == 200


def test_a_report_on_the_part_and_another_department_is_not_the_advisers(
    adviser_client, version, tree
):
    report = made(
        version=version,
        departments=[tree["vergunningen"], tree["sociaal"]],
        by=EmployeeFactory(hr=True),
    )

    response = adviser_client.get(reverse("reports:download", args=[report.pk]))

    assert response.status_code == 404


def test_the_report_log_shows_an_adviser_only_the_events_of_their_part(
    adviser_client, adviser, central, version
):
    own = made(version=version, by=adviser)

    page = adviser_client.get(reverse("reports:log")).content.decode()

    assert own.number in page
    assert central.number not in page


def test_central_hr_sees_an_advisers_report(client, adviser, version):
    own = made(version=version, by=adviser)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(reverse("reports:download", args=[own.pk]))

    assert response.status_code == 200


def test_an_adviser_whose_role_was_revoked_sees_no_reports(client, adviser, version, tree):
    from people.services.object_roles import revoke_object_role

    made(version=version, by=adviser)
    revoke_object_role(actor=None, employee=adviser, role=Role.HR, target=tree["ruimte"])
    client.force_login(adviser)

    assert client.get(reverse("reports:list")).status_code == 403


# One employee's file -----------------------------------------------------------------------


def test_an_adviser_asks_for_the_file_of_someone_in_their_part(adviser_client, people):
    response = adviser_client.post(
        reverse("reports:individual"), {"employee_number": "1001", "language": "nl"}
    )

    assert response.status_code == 302
    assert Report.objects.get(kind=Report.Kind.INDIVIDUAL).employee == people["inside"]


def test_an_adviser_cannot_ask_for_the_file_of_someone_outside_their_part(adviser_client, people):
    response = adviser_client.post(
        reverse("reports:individual"), {"employee_number": "2002", "language": "nl"}
    )

    assert response.status_code == 400
    assert not Report.objects.filter(kind=Report.Kind.INDIVIDUAL).exists()


def test_the_service_refuses_an_adviser_the_file_of_someone_outside(adviser, people):
    with pytest.raises(PermissionDenied):
        services.request_report(
            kind=Report.Kind.INDIVIDUAL, employee=people["outside"], by=adviser, enqueue=False
        )


def test_searching_for_someone_outside_the_part_finds_nobody(adviser_client, people):
    response = adviser_client.get(reverse("reports:individual"), {"q": "Buiten"})

    assert response.status_code == 200
    assert "2002" not in response.content.decode()


def test_searching_within_the_part_finds_the_person(adviser_client, people):
    page = adviser_client.get(reverse("reports:individual"), {"q": "Binnen"}).content.decode()

    assert "1001" in page


def test_central_hrs_file_of_someone_outside_is_not_found_by_an_adviser(adviser_client, people):
    report = services.request_report(
        kind=Report.Kind.INDIVIDUAL,
        employee=people["outside"],
        by=EmployeeFactory(hr=True),
        enqueue=False,
    )

    assert adviser_client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


def test_central_hrs_file_of_someone_in_the_part_is_the_advisers_too(adviser_client, people):
    report = services.request_report(
        kind=Report.Kind.INDIVIDUAL,
        employee=people["inside"],
        by=EmployeeFactory(hr=True),
        enqueue=False,
    )

    assert adviser_client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_advisers_report_list_costs_the_same_queries_for_more_reports(
    adviser_client, adviser, version
):
    made(version=version, by=adviser)
    url = reverse("reports:list")
    few = _queries(adviser_client, url)
    for _ in range(3):
        made(version=version, by=adviser)

    assert _queries(adviser_client, url) == few
