"""The guidelines as a library: the list every member of staff reads (the ones that
apply to me first), the editors' list, creating a guideline and its audience."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from handbook.models import Guideline, GuidelineVersion, HandbookEvent
from handbook.services.guidelines import DepartmentInAudience, update_guideline_audience
from handbook.tests.factories import GuidelineFactory, published_version
from handbook.tests.utils import nl
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import error_summary, links, parse, select, text

pytestmark = pytest.mark.django_db

LIST = reverse("handbook:list")
LIBRARY = reverse("handbook:library")
CREATE = reverse("handbook:create_guideline")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _guideline(slug, title, *, published=True, title_en="", **fields):
    guideline = GuidelineFactory(slug=slug, title=title, title_en=title_en, **fields)
    if published:
        published_version(guideline, title=title, effective_date=datetime.date(2026, 3, 2))
    return guideline


def _slugs(page, css) -> list[str]:
    return [element.attributes["id"].removeprefix("guideline-") for element in select(page, css)]


# The handbook's list -----------------------------------------------------------------------


def test_the_list_shows_the_guidelines_that_apply_to_me_first_then_the_others():
    department = DepartmentFactory()
    mine = _guideline("privacy", "Privacy")
    _guideline("bio", "Informatiebeveiliging")
    update_guideline_audience(
        guideline=Guideline.objects.get(slug="bio"),
        actor=None,
        audience=Guideline.Audience.ROLES,
        roles=[Role.HR],
    )
    update_guideline_audience(
        guideline=mine,
        actor=None,
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(department=department)],
    )
    _guideline("gedragscode", "Gedragscode")  # everyone
    employee = EmployeeFactory(department=department)

    page = parse(_client(employee).get(LIST))

    assert _slugs(page, "#guidelines-mine li") == ["gedragscode", "privacy"]
    assert _slugs(page, "#guidelines-others li") == ["bio"]


def test_each_guideline_in_the_list_shows_its_current_version_number_and_date():
    guideline = _guideline("privacy", "Privacy")
    published_version(
        guideline, number=2, title="Privacy", effective_date=datetime.date(2026, 5, 1)
    )

    page = parse(_client(EmployeeFactory(preferred_language="en")).get(LIST + "?taal=en"))

    entry = text(select(page, "#guideline-privacy")[0])
    assert "Version 2" in entry
    assert "1 May 2026" in entry


def test_the_list_shows_the_title_in_the_readers_language():
    _guideline("privacy", "Privacyregels", title_en="Privacy rules")

    english = parse(_client(EmployeeFactory()).get(LIST + "?taal=en"))
    dutch = parse(_client(EmployeeFactory()).get(LIST))

    assert "Privacy rules" in text(select(english, "#guideline-privacy")[0])
    assert "Privacyregels" in text(select(dutch, "#guideline-privacy")[0])


def test_a_guideline_without_a_version_in_force_is_not_listed_for_staff():
    _guideline("privacy", "Privacy", published=False)
    _guideline("later", "Later", published=False)
    published_version(Guideline.objects.get(slug="later"), effective_date=datetime.date(2999, 1, 1))
    _guideline("gedragscode", "Gedragscode")

    page = parse(_client(EmployeeFactory()).get(LIST))

    assert _slugs(page, "li[id^=guideline-]") == ["gedragscode"]


def test_an_editor_also_sees_their_guidelines_without_a_version_marked_as_such():
    draft_only = _guideline("privacy", "Privacy", published=False)
    _guideline("ander", "Ander concept", published=False)
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=draft_only)

    page = parse(_client(editor).get(LIST))

    assert _slugs(page, "li[id^=guideline-]") == ["privacy"]
    assert select(page, "#guideline-privacy .not-published")
    assert reverse("handbook:editor", kwargs={"guideline": "privacy"}) in links(page)


def _list_queries(user) -> int:
    client = _client(user)
    client.get(LIST)  # warm up: the session, the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["employee", "object_editor", "editor"])
def test_the_list_costs_the_same_queries_for_one_guideline_as_for_five(role):
    department = DepartmentFactory()
    users = {
        "employee": EmployeeFactory(department=department),
        "object_editor": EmployeeFactory(department=department),
        "editor": EmployeeFactory(department=department, editor=True),
    }
    first = _guideline("g0", "Handreiking 0")
    grant_object_role(actor=None, employee=users["object_editor"], role=Role.EDITOR, target=first)
    one = _list_queries(users[role])
    for number in range(1, 5):
        guideline = _guideline(f"g{number}", f"Handreiking {number}")
        update_guideline_audience(
            guideline=guideline,
            actor=None,
            audience=Guideline.Audience.DEPARTMENTS,
            departments=[DepartmentInAudience(department=department)],
        )
        grant_object_role(
            actor=None, employee=users["object_editor"], role=Role.EDITOR, target=guideline
        )

    five = _list_queries(users[role])

    assert five == one


def test_without_a_published_guideline_the_list_says_it_will_come():
    _guideline("privacy", "Privacy", published=False)

    page = parse(_client(EmployeeFactory()).get(LIST))

    assert "handbook-empty" in page.html
    assert "load_handbook" not in page.html


# The editors' list -------------------------------------------------------------------------


def test_the_editors_list_shows_every_guideline_to_an_editor_with_new_guideline():
    _guideline("privacy", "Privacy")
    _guideline("bio", "BIO", published=False)

    page = parse(_client(EmployeeFactory(editor=True)).get(LIBRARY))

    assert [row.attributes["id"] for row in select(page, "#library-table tbody tr")] == [
        "library-bio",
        "library-privacy",
    ]
    assert select(page, "#create-guideline")


def test_the_editors_list_shows_an_object_editor_their_guideline_alone_without_new():
    privacy = _guideline("privacy", "Privacy")
    _guideline("bio", "BIO")
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)

    page = parse(_client(editor).get(LIBRARY))

    assert [row.attributes["id"] for row in select(page, "#library-table tbody tr")] == [
        "library-privacy"
    ]
    assert not select(page, "#create-guideline")


def test_the_editors_list_is_closed_to_staff_who_edit_nothing():
    _guideline("privacy", "Privacy")

    assert _client(EmployeeFactory()).get(LIBRARY).status_code == 403


def test_the_menu_offers_the_editors_list_to_an_editor_of_one_guideline():
    privacy = _guideline("privacy", "Privacy")
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)

    menu = links(parse(_client(editor).get(LIST)), "nav.portal-nav")
    staff_menu = links(parse(_client(EmployeeFactory()).get(LIST)), "nav.portal-nav")

    assert LIBRARY in menu
    assert LIBRARY not in staff_menu
    assert LIST in staff_menu


# Creating a guideline ----------------------------------------------------------------------


def _form(**fields) -> dict:
    data = {
        "title": "Privacyregels",
        "title_en": "Privacy rules",
        "slug": "privacy",
        "owner": "",
        "review_date": "2027-06-01",
        "audience": "everyone",
        "introduction": "Zo gaan we om met persoonsgegevens.",
        "introduction_en": "",
    }
    data.update(fields)
    return data


def test_an_editor_creates_a_guideline_with_its_first_draft_from_the_form():
    editor = EmployeeFactory(editor=True)
    owner = EmployeeFactory(email="eigenaar@voorbeeldstad.nl")
    hr_department = DepartmentFactory()

    response = _client(editor).post(
        CREATE,
        _form(
            owner="Eigenaar@voorbeeldstad.nl",
            audience="departments",
            departments_only=[hr_department.pk],
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("handbook:editor", kwargs={"guideline": "privacy"})
    guideline = Guideline.objects.get(slug="privacy")
    assert (guideline.title_en, guideline.owner, guideline.review_date) == (
        "Privacy rules",
        owner,
        datetime.date(2027, 6, 1),
    )
    assert [
        (row.department, row.include_subdepartments) for row in guideline.audience_departments.all()
    ] == [(hr_department, False)]
    draft = guideline.versions.get()
    assert (draft.number, draft.status, draft.introduction) == (
        1,
        GuidelineVersion.Status.DRAFT,
        "Zo gaan we om met persoonsgegevens.",
    )


@pytest.mark.parametrize("slug", ["redactie", "nieuw"])
def test_a_reserved_short_name_is_refused_with_a_clear_message(slug):
    response = _client(EmployeeFactory(editor=True)).post(CREATE, _form(slug=slug))

    assert response.status_code == 400
    message = nl(
        "The portal uses the short name “%(slug)s” for a page of its own. Choose another.",
        slug=slug,
    )
    assert ("slug", f"{nl('Short name')}: {message}") in [
        (target.removeprefix("#id_"), shown) for target, shown in error_summary(parse(response))
    ]
    assert not Guideline.objects.filter(slug=slug).exists()


def test_a_short_name_in_use_is_refused_whatever_its_case():
    _guideline("privacy", "Privacy")

    response = _client(EmployeeFactory(editor=True)).post(CREATE, _form(slug="Privacy"))

    assert response.status_code == 400
    assert nl("There is already a guideline with this short name.") in response.content.decode()
    assert Guideline.objects.count() == 1


def test_an_owner_who_is_not_an_active_employee_is_refused():
    EmployeeFactory(email="weg@voorbeeldstad.nl", is_active=False)

    response = _client(EmployeeFactory(editor=True)).post(
        CREATE, _form(owner="weg@voorbeeldstad.nl")
    )

    assert response.status_code == 400
    assert not Guideline.objects.exists()


def test_the_same_department_with_and_without_sub_departments_is_refused():
    department = DepartmentFactory()

    response = _client(EmployeeFactory(editor=True)).post(
        CREATE,
        _form(
            audience="departments",
            departments=[department.pk],
            departments_only=[department.pk],
        ),
    )

    assert response.status_code == 400
    assert not Guideline.objects.exists()


def test_the_editor_of_one_guideline_may_not_create_another():
    privacy = _guideline("privacy", "Privacy")
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)
    client = _client(editor)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form(slug="bio")).status_code == 403
    assert not Guideline.objects.filter(slug="bio").exists()


# The audience ------------------------------------------------------------------------------


def test_the_editor_of_a_guideline_changes_its_audience():
    privacy = _guideline("privacy", "Privacy")
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)
    url = reverse("handbook:audience", kwargs={"guideline": "privacy"})

    response = _client(editor).post(url, {"audience": "roles", "roles": ["hr", "manager"]})

    assert response.status_code == 302
    privacy.refresh_from_db()
    assert privacy.audience == Guideline.Audience.ROLES
    assert sorted(privacy.audience_roles.values_list("role", flat=True)) == ["hr", "manager"]
    assert HandbookEvent.objects.filter(
        guideline=privacy, kind=HandbookEvent.Kind.AUDIENCE_CHANGED, actor=editor
    ).exists()


def test_the_audience_form_shows_the_audience_as_it_is():
    privacy = _guideline("privacy", "Privacy")
    with_sub, without_sub = DepartmentFactory(), DepartmentFactory()
    update_guideline_audience(
        guideline=privacy,
        actor=None,
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[
            DepartmentInAudience(department=with_sub),
            DepartmentInAudience(department=without_sub, include_subdepartments=False),
        ],
    )
    url = reverse("handbook:audience", kwargs={"guideline": "privacy"})

    page = parse(_client(EmployeeFactory(editor=True)).get(url))

    assert [o.attributes["value"] for o in select(page, "#id_departments option[selected]")] == [
        str(with_sub.pk)
    ]
    assert [
        o.attributes["value"] for o in select(page, "#id_departments_only option[selected]")
    ] == [str(without_sub.pk)]
    assert select(page, "input[name=audience][value=departments][checked]")


def test_chosen_departments_without_a_department_is_refused_and_changes_nothing():
    privacy = _guideline("privacy", "Privacy")
    url = reverse("handbook:audience", kwargs={"guideline": "privacy"})

    response = _client(EmployeeFactory(editor=True)).post(url, {"audience": "departments"})

    assert response.status_code == 400
    assert nl("Choose at least one department.") in response.content.decode()
    privacy.refresh_from_db()
    assert privacy.audience == Guideline.Audience.EVERYONE
