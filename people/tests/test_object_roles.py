"""Roles on one object (people.ObjectRoleGrant): the editor of one guideline may change
that guideline and no other; only an administrator grants, and the security log says so."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from handbook.models import Guideline
from handbook.tests.factories import GuidelineFactory
from people.models import Employee, ObjectRoleGrant
from people.roles import Role
from people.selectors import holds_object_role, must_use_two_factor, objects_with_role
from people.services.object_roles import grant_object_role, revoke_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory, login_with_second_factor
from people.tests.test_reauthentication import logged_in_a_while_ago
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

CHANGE = "handbook.change_guidelineversion"


@pytest.fixture
def administrator():
    return EmployeeFactory(administrator=True, totp=True)


@pytest.fixture
def privacy():
    return GuidelineFactory(slug="privacy", title="Privacyrichtlijn")


@pytest.fixture
def social_media():
    return GuidelineFactory(slug="sociale-media")


def fresh(employee: Employee) -> Employee:
    """The user as the next request loads it (no permission caches)."""
    return Employee.objects.get(pk=employee.pk)


def test_the_editor_of_a_guideline_may_change_it(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert fresh(editor).has_perm(CHANGE, privacy)


def test_without_a_grant_nobody_may_change_a_guideline(privacy):
    assert not fresh(EmployeeFactory()).has_perm(CHANGE, privacy)


def test_the_editor_of_one_guideline_may_not_change_another(administrator, privacy, social_media):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert not fresh(editor).has_perm(CHANGE, social_media)


def test_a_grant_on_a_department_with_the_same_number_does_not_open_a_guideline(administrator):
    guideline = GuidelineFactory(slug="privacy")
    department = DepartmentFactory()
    adviser = EmployeeFactory()
    grant_object_role(actor=administrator, employee=adviser, role=Role.EDITOR, target=department)
    ObjectRoleGrant.objects.filter(employee=adviser).update(object_id=guideline.pk)

    assert not fresh(adviser).has_perm(CHANGE, guideline)


def _content_type_of(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def test_a_role_without_that_permission_does_not_give_it(administrator, privacy):
    hr_adviser = EmployeeFactory()
    grant_object_role(actor=administrator, employee=hr_adviser, role=Role.HR, target=privacy)

    assert fresh(hr_adviser).has_perm("handbook.view_guideline", privacy)
    assert not fresh(hr_adviser).has_perm(CHANGE, privacy)


def test_an_inactive_editor_may_not_change_the_guideline(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)
    Employee.objects.filter(pk=editor.pk).update(is_active=False)

    assert not fresh(editor).has_perm(CHANGE, privacy)
    assert not holds_object_role(user=fresh(editor), role=Role.EDITOR, target=privacy)
    assert not objects_with_role(user=fresh(editor), role=Role.EDITOR, model=Guideline).exists()


def test_a_grant_on_one_object_gives_no_global_permission(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    user = fresh(editor)
    assert not user.has_perm(CHANGE)
    assert CHANGE not in user.get_all_permissions()
    assert not user.has_module_perms("handbook")


def test_a_grant_on_one_object_is_not_the_role_itself(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert Role.EDITOR not in fresh(editor).groups.values_list("name", flat=True)
    from people.selectors import has_role

    assert not has_role(user=fresh(editor), role=Role.EDITOR)


def test_the_editor_of_one_guideline_must_use_the_second_factor(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert must_use_two_factor(user=fresh(editor))


def test_someone_without_any_role_needs_no_second_factor():
    assert not must_use_two_factor(user=fresh(EmployeeFactory()))


@pytest.mark.parametrize("trait", ["hr", "editor"])
def test_only_an_administrator_grants_a_role_on_an_object(trait, privacy):
    someone = EmployeeFactory(**{trait: True})
    colleague = EmployeeFactory()

    with pytest.raises(PermissionDenied):
        grant_object_role(actor=someone, employee=colleague, role=Role.EDITOR, target=privacy)

    assert not ObjectRoleGrant.objects.exists()
    assert not fresh(colleague).has_perm(CHANGE, privacy)


def test_nobody_grants_themselves_a_guideline_unless_administrator(privacy):
    editor = EmployeeFactory(editor=True)

    with pytest.raises(PermissionDenied):
        grant_object_role(actor=editor, employee=editor, role=Role.EDITOR, target=privacy)

    assert not fresh(editor).has_perm(CHANGE, privacy)


def test_a_refused_grant_is_in_the_security_log(privacy):
    hr = EmployeeFactory(hr=True)
    colleague = EmployeeFactory()

    with pytest.raises(PermissionDenied):
        grant_object_role(actor=hr, employee=colleague, role=Role.EDITOR, target=privacy)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PRIVILEGED_CHANGE_REFUSED)
    assert (event.actor_id, event.subject_id) == (hr.pk, colleague.pk)
    assert event.details["object"] == "handbook.guideline"
    assert event.details["object_id"] == privacy.pk


def test_only_an_administrator_revokes_a_role_on_an_object(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    with pytest.raises(PermissionDenied):
        revoke_object_role(
            actor=EmployeeFactory(hr=True), employee=editor, role=Role.EDITOR, target=privacy
        )

    assert fresh(editor).has_perm(CHANGE, privacy)


def test_a_grant_is_in_the_security_log_with_its_object(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_GRANTED, subject=editor)
    assert event.actor_id == administrator.pk
    assert event.details == {
        "role": "editor",
        "object": "handbook.guideline",
        "object_id": privacy.pk,
    }


def test_granting_the_same_role_twice_keeps_one_grant_and_one_log_line(administrator, privacy):
    editor = EmployeeFactory()
    for _ in range(2):
        grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert ObjectRoleGrant.objects.count() == 1
    granted = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_GRANTED, subject=editor)
    assert granted.count() == 1


def test_a_role_meant_for_everything_cannot_be_granted_on_one_object(administrator, privacy):
    with pytest.raises(ValueError):
        grant_object_role(
            actor=administrator, employee=EmployeeFactory(), role=Role.ADMINISTRATOR, target=privacy
        )


def test_a_revoked_grant_stops_at_once(administrator, privacy):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)
    user = fresh(editor)
    assert user.has_perm(CHANGE, privacy)

    revoke_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert not user.has_perm(CHANGE, privacy)  # the same user object: nothing cached
    assert not holds_object_role(user=user, role=Role.EDITOR, target=privacy)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_REMOVED, subject=editor)
    assert event.details["object_id"] == privacy.pk


def test_holds_object_role_names_the_object_and_the_role(administrator, privacy, social_media):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)

    assert holds_object_role(user=editor, role=Role.EDITOR, target=privacy)
    assert not holds_object_role(user=editor, role=Role.EDITOR, target=social_media)
    assert not holds_object_role(user=editor, role=Role.HR, target=privacy)


def test_objects_with_role_lists_the_guidelines_one_edits(administrator, privacy, social_media):
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=privacy)
    grant_object_role(
        actor=administrator, employee=EmployeeFactory(), role=Role.EDITOR, target=social_media
    )

    assert list(objects_with_role(user=editor, role=Role.EDITOR, model=Guideline)) == [privacy]


def test_an_hr_adviser_of_a_department_holds_it_and_no_other(administrator):
    north, south = DepartmentFactory(), DepartmentFactory()
    adviser = EmployeeFactory()
    grant_object_role(actor=administrator, employee=adviser, role=Role.HR, target=north)

    assert fresh(adviser).has_perm("people.view_department", north)
    assert not fresh(adviser).has_perm("people.view_department", south)
    from people.models import Department

    assert list(objects_with_role(user=adviser, role=Role.HR, model=Department)) == [north]


def test_removing_a_department_removes_the_roles_held_on_it(administrator):
    department = DepartmentFactory()
    grant_object_role(
        actor=administrator, employee=EmployeeFactory(), role=Role.HR, target=department
    )

    department.delete()

    assert not ObjectRoleGrant.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_objects_with_role_is_one_query(
    administrator, count, django_assert_num_queries, django_db_blocker
):
    editor = EmployeeFactory()
    for number in range(count):
        guideline = GuidelineFactory(slug=f"richtlijn-{number}")
        grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=guideline)
    user = fresh(editor)
    Guideline.objects.first()  # the content type cache is warm, as in a running portal

    with django_assert_num_queries(1):
        assert len(list(objects_with_role(user=user, role=Role.EDITOR, model=Guideline))) == count


# The admin page ------------------------------------------------------------------------


def test_an_administrator_grants_a_role_on_a_guideline_in_the_admin(client, administrator, privacy):
    editor = EmployeeFactory()
    login_with_second_factor(client, administrator)

    response = client.post(
        reverse("admin:people_objectrolegrant_add"),
        {
            "employee": editor.pk,
            "role": Role.EDITOR,
            "content_type": _content_type_of(privacy).pk,
            "object_id": privacy.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(editor).has_perm(CHANGE, privacy)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_GRANTED, subject=editor)
    assert event.actor_id == administrator.pk


def test_the_admin_refuses_a_grant_on_an_object_that_does_not_exist(client, administrator):
    editor = EmployeeFactory()
    login_with_second_factor(client, administrator)

    response = client.post(
        reverse("admin:people_objectrolegrant_add"),
        {
            "employee": editor.pk,
            "role": Role.EDITOR,
            "content_type": _content_type_of(Guideline).pk,
            "object_id": 987654,
        },
    )

    assert response.status_code == 200
    assert not ObjectRoleGrant.objects.exists()


def test_the_admin_offers_no_other_kind_of_object(client, administrator):
    editor = EmployeeFactory()
    login_with_second_factor(client, administrator)

    client.post(
        reverse("admin:people_objectrolegrant_add"),
        {
            "employee": editor.pk,
            "role": Role.EDITOR,
            "content_type": _content_type_of(Group).pk,
            "object_id": Group.objects.get(name="administrator").pk,
        },
    )

    assert not ObjectRoleGrant.objects.exists()


def test_the_admin_revokes_through_the_service(client, administrator, privacy):
    editor = EmployeeFactory()
    grant = grant_object_role(
        actor=administrator, employee=editor, role=Role.EDITOR, target=privacy
    )
    login_with_second_factor(client, administrator)

    response = client.post(
        reverse("admin:people_objectrolegrant_delete", args=[grant.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not fresh(editor).has_perm(CHANGE, privacy)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_REMOVED).count() == 1


def test_the_admins_grant_page_asks_for_the_code_again(client, administrator, privacy):
    editor = EmployeeFactory()
    logged_in_a_while_ago(client, administrator)

    response = client.post(
        reverse("admin:people_objectrolegrant_add"),
        {
            "employee": editor.pk,
            "role": Role.EDITOR,
            "content_type": _content_type_of(privacy).pk,
            "object_id": privacy.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ObjectRoleGrant.objects.exists()


def test_staff_who_is_not_an_administrator_does_not_reach_the_grant_page(client, privacy):
    staff = EmployeeFactory(hr=True, is_staff=True, totp=True)
    login_with_second_factor(client, staff)

    response = client.get(reverse("admin:people_objectrolegrant_add"))

    assert response.status_code == 403


def test_the_admins_list_names_each_grants_object(client, administrator, privacy):
    grant_object_role(
        actor=administrator, employee=EmployeeFactory(), role=Role.EDITOR, target=privacy
    )
    grant_object_role(
        actor=administrator, employee=EmployeeFactory(), role=Role.HR, target=DepartmentFactory()
    )
    login_with_second_factor(client, administrator)

    response = client.get(reverse("admin:people_objectrolegrant_changelist"))

    assert response.status_code == 200
    assert "Privacyrichtlijn" in response.content.decode()
