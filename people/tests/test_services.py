"""Writes about people: departments keep their materialised paths, languages are checked."""

import pytest

from people.models import Department
from people.services import (
    create_department,
    move_department,
    set_preferred_language,
    update_department,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    ruimte = create_department(code="DIR-RUI", name="Directie Ruimte", kind="directie")
    samenleving = create_department(code="DIR-SAM", name="Directie Samenleving", kind="directie")
    vergunningen = create_department(
        code="AFD-VERG", name="Afdeling Vergunningen", kind="afdeling", parent=ruimte
    )
    team = create_department(
        code="TEAM-OMG", name="Team Omgevingsvergunningen", kind="team", parent=vergunningen
    )
    return {
        "ruimte": ruimte,
        "samenleving": samenleving,
        "vergunningen": vergunningen,
        "team": team,
    }


def _path(department) -> str:
    return Department.objects.get(pk=department.pk).path


def test_a_top_level_department_has_its_code_as_path(tree):
    assert _path(tree["ruimte"]) == "/DIR-RUI/"


def test_a_team_path_lists_every_level_above_it(tree):
    assert _path(tree["team"]) == "/DIR-RUI/AFD-VERG/TEAM-OMG/"


def test_the_depth_follows_from_the_path(tree):
    assert (tree["ruimte"].depth, tree["vergunningen"].depth, tree["team"].depth) == (1, 2, 3)


def test_moving_a_department_rewrites_its_own_path(tree):
    move_department(department=tree["vergunningen"], parent=tree["samenleving"])

    assert _path(tree["vergunningen"]) == "/DIR-SAM/AFD-VERG/"


def test_moving_a_department_rewrites_the_paths_below_it(tree):
    move_department(department=tree["vergunningen"], parent=tree["samenleving"])

    assert _path(tree["team"]) == "/DIR-SAM/AFD-VERG/TEAM-OMG/"


def test_moving_a_department_to_the_top_level(tree):
    move_department(department=tree["vergunningen"], parent=None)

    assert (_path(tree["vergunningen"]), _path(tree["team"])) == (
        "/AFD-VERG/",
        "/AFD-VERG/TEAM-OMG/",
    )


def test_moving_a_department_leaves_other_branches_alone(tree):
    move_department(department=tree["vergunningen"], parent=tree["samenleving"])

    assert (_path(tree["ruimte"]), _path(tree["samenleving"])) == ("/DIR-RUI/", "/DIR-SAM/")


def test_moving_a_department_updates_its_parent(tree):
    move_department(department=tree["vergunningen"], parent=tree["samenleving"])

    assert Department.objects.get(pk=tree["vergunningen"].pk).parent == tree["samenleving"]


def test_a_department_cannot_move_under_its_own_team(tree):
    with pytest.raises(ValueError):
        move_department(department=tree["vergunningen"], parent=tree["team"])

    assert _path(tree["team"]) == "/DIR-RUI/AFD-VERG/TEAM-OMG/"


def test_a_department_cannot_move_under_itself(tree):
    with pytest.raises(ValueError):
        move_department(department=tree["vergunningen"], parent=tree["vergunningen"])


def test_a_new_code_rewrites_the_paths_of_the_subtree(tree):
    update_department(
        department=tree["vergunningen"],
        code="AFD-VTH",
        name="Afdeling Vergunningen, Toezicht en Handhaving",
        kind="afdeling",
        parent=tree["ruimte"],
    )

    assert (_path(tree["vergunningen"]), _path(tree["team"])) == (
        "/DIR-RUI/AFD-VTH/",
        "/DIR-RUI/AFD-VTH/TEAM-OMG/",
    )


def test_update_department_saves_the_name(tree):
    update_department(
        department=tree["team"],
        code="TEAM-OMG",
        name="Team Omgevingswet",
        kind="team",
        parent=tree["vergunningen"],
    )

    assert Department.objects.get(pk=tree["team"].pk).name == "Team Omgevingswet"


def test_update_department_can_move_and_rename_at_once(tree):
    update_department(
        department=tree["vergunningen"],
        code="AFD-V",
        name="Vergunningen",
        kind="afdeling",
        parent=tree["samenleving"],
    )

    assert _path(tree["team"]) == "/DIR-SAM/AFD-V/TEAM-OMG/"


def test_update_department_refuses_a_slash_in_the_code(tree):
    with pytest.raises(ValueError):
        update_department(department=tree["team"], code="A/B", name="x", kind="team", parent=None)


def test_update_department_refuses_a_loop(tree):
    with pytest.raises(ValueError):
        update_department(
            department=tree["ruimte"],
            code="DIR-RUI",
            name="Directie Ruimte",
            kind="directie",
            parent=tree["team"],
        )


def test_set_preferred_language_saves_it():
    employee = EmployeeFactory(preferred_language="nl")

    set_preferred_language(employee=employee, language="en")

    employee.refresh_from_db()
    assert employee.preferred_language == "en"


def test_set_preferred_language_refuses_an_unknown_language():
    employee = EmployeeFactory(preferred_language="nl")

    with pytest.raises(ValueError):
        set_preferred_language(employee=employee, language="de")

    employee.refresh_from_db()
    assert employee.preferred_language == "nl"
