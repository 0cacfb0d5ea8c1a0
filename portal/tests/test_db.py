"""CompiledQuery: a queryset built and compiled once, run again with other arguments,
giving what the ORM gives."""

import datetime

import pytest
from django.db.models import Exists, OuterRef

from handbook.models import Guideline, GuidelineVersion
from handbook.tests.factories import GuidelineFactory, published_version
from people.models import Employee
from people.tests.factories import EmployeeFactory
from portal.db import CompiledQuery

pytestmark = pytest.mark.django_db


def _versions_from(*, number):
    return (
        GuidelineVersion.objects.filter(number__gte=number)
        .order_by("number")
        .values_list("pk", "number", "status", "effective_date")
    )


def _in_force_on(*, day):
    return (
        GuidelineVersion.objects.filter(effective_date__lte=day)
        .order_by("-effective_date", "-number")
        .values_list("pk", "effective_date")
    )


def _guideline_with_published(*, guideline):
    published = GuidelineVersion.objects.filter(
        guideline=OuterRef("pk"), status=GuidelineVersion.Status.PUBLISHED
    )
    return (
        Guideline.objects.filter(pk=guideline)
        .annotate(has_published=Exists(published))
        .values_list("pk", "has_published")
    )


def _employee(*, employee):
    return Employee.objects.filter(pk=employee)


def _fields(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@pytest.fixture
def guideline():
    return GuidelineFactory()


@pytest.fixture
def three_versions(guideline):
    return [
        published_version(guideline, number=number, effective_date=datetime.date(2026, number, 1))
        for number in (1, 2, 3)
    ]


def test_values_gives_what_values_list_first_gives_for_each_argument(three_versions):
    query = CompiledQuery(_versions_from, number=int)

    for number in (0, 1, 2, 3, 4):
        assert query.values(number=number) == _versions_from(number=number).first()


def test_values_gives_none_when_no_row_matches(three_versions):
    query = CompiledQuery(_versions_from, number=int)

    assert query.values(number=99) is None


def test_a_boolean_annotation_comes_back_as_a_python_bool(three_versions, guideline):
    empty = GuidelineFactory(slug="leeg", title="Leeg")
    query = CompiledQuery(_guideline_with_published, guideline=int)

    with_versions = query.values(guideline=guideline.pk)
    without = query.values(guideline=empty.pk)

    assert with_versions == (guideline.pk, True) and type(with_versions[1]) is bool
    assert without == (empty.pk, False) and type(without[1]) is bool
    assert without == _guideline_with_published(guideline=empty.pk).first()


def test_a_date_argument_selects_like_the_orm(three_versions):
    query = CompiledQuery(_in_force_on, day=datetime.date)

    for day in (
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 15),
        datetime.date(2027, 1, 1),
    ):
        assert query.values(day=day) == _in_force_on(day=day).first()


def test_a_date_column_comes_back_as_a_date(three_versions):
    row = CompiledQuery(_in_force_on, day=datetime.date).values(day=datetime.date(2026, 2, 1))

    assert row[1] == datetime.date(2026, 2, 1) and type(row[1]) is datetime.date


def test_instance_gives_the_orms_first_instance_with_the_same_field_values():
    employees = [EmployeeFactory(), EmployeeFactory(), EmployeeFactory()]
    query = CompiledQuery(_employee, employee=int)

    for employee in employees:
        found = query.instance(employee=employee.pk)
        expected = _employee(employee=employee.pk).first()
        assert type(found) is Employee and found == expected
        assert _fields(found) == _fields(expected)
        assert found._state.adding is False and found._state.db == "default"


def test_instance_gives_none_when_nothing_matches(db):
    query = CompiledQuery(_employee, employee=int)

    assert query.instance(employee=987_654) is None


def test_a_build_that_ignores_an_argument_is_refused():
    def build(*, employee, unused):
        return Employee.objects.filter(pk=employee).values_list("pk")

    query = CompiledQuery(build, employee=int, unused=int)

    with pytest.raises(ValueError, match="unused"):
        query.values(employee=1, unused=2)


def test_an_argument_the_orm_writes_into_the_sql_as_a_limit_is_refused(db):
    # A slice's bounds are written into the SQL text, not passed as parameters.
    def build(*, count):
        return Employee.objects.order_by("pk").values_list("pk")[:count]

    query = CompiledQuery(build, count=int)

    with pytest.raises(ValueError, match="count"):
        query.values(count=1)


def test_an_argument_the_orm_converts_to_another_value_is_refused(db):
    # A text column turns the number into a string: the stand-in is not a parameter.
    def build(*, number):
        return Employee.objects.filter(employee_number=number).values_list("pk")

    query = CompiledQuery(build, number=int)

    with pytest.raises(ValueError, match="number"):
        query.values(number=100_000)


def test_an_unsupported_argument_type_is_refused():
    with pytest.raises(TypeError):
        CompiledQuery(_employee, employee=float)


def _guideline_by_slug(*, slug):
    return Guideline.objects.filter(slug=slug).order_by("pk").values_list("pk", "slug")


def test_a_string_argument_finds_the_row_it_names_and_none_for_another():
    first = GuidelineFactory(slug="privacy", title="Privacy")
    second = GuidelineFactory(slug="integriteit", title="Integriteit")
    query = CompiledQuery(_guideline_by_slug, slug=str)

    assert query.values(slug="privacy") == (first.pk, "privacy")
    assert query.values(slug="integriteit") == (second.pk, "integriteit")
    assert query.values(slug="' OR 1=1 --") is None


def test_an_unknown_argument_name_is_refused(db):
    query = CompiledQuery(_employee, employee=int)

    with pytest.raises(TypeError):
        query.instance(employee=1, other=2)


def test_a_missing_argument_is_refused(db):
    query = CompiledQuery(_versions_from, number=int)

    with pytest.raises(TypeError):
        query.values()


def test_instance_of_a_values_list_queryset_is_refused(three_versions):
    query = CompiledQuery(_versions_from, number=int)

    with pytest.raises(TypeError, match="model instances"):
        query.instance(number=1)


def test_instance_of_a_queryset_with_select_related_is_refused(db):
    def build(*, employee):
        return Employee.objects.select_related("department").filter(pk=employee)

    query = CompiledQuery(build, employee=int)

    with pytest.raises(ValueError, match="must be plain"):
        query.instance(employee=1)


def test_a_parameter_computed_from_an_argument_is_refused(three_versions):
    def build(*, number):
        return GuidelineVersion.objects.filter(
            number__lte=number, number__gt=number - 1
        ).values_list("pk")

    with pytest.raises(ValueError, match="nothing else may depend on them"):
        CompiledQuery(build, number=int).values(number=1)


def test_a_parameter_one_step_after_another_argument_is_refused(three_versions):
    # With one spacing for both builds, day + 7 would pass for the next argument.
    def build(*, day, until):
        return (
            GuidelineVersion.objects.filter(
                effective_date__gte=day, effective_date__lte=day + datetime.timedelta(days=7)
            )
            .filter(effective_date__lte=until)
            .values_list("pk")
        )

    with pytest.raises(ValueError):
        CompiledQuery(build, day=datetime.date, until=datetime.date).values(
            day=datetime.date(2026, 1, 1), until=datetime.date(2027, 1, 1)
        )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (True, int),
        (1.5, int),
        (datetime.date(2026, 1, 1), int),
        (5, datetime.date),
        (datetime.datetime(2026, 1, 1, 12, 0), datetime.date),
    ],
)
def test_an_argument_of_the_wrong_type_is_refused(db, value, kind):
    def build(*, argument):
        field = "number" if kind is int else "effective_date"
        return GuidelineVersion.objects.filter(**{field: argument}).order_by("pk").values_list("pk")

    with pytest.raises(TypeError, match="must be a"):
        CompiledQuery(build, argument=kind).values(argument=value)


def test_a_column_selected_only_for_ordering_is_left_out(db):
    EmployeeFactory(last_name="Aalbers")

    def build(*, minimum):
        return (
            Employee.objects.filter(pk__gte=minimum)
            .order_by("last_name")
            .distinct()
            .values_list("pk")
        )

    expected = build(minimum=1).first()

    assert CompiledQuery(build, minimum=int).values(minimum=1) == expected


def test_a_second_call_runs_exactly_one_query(three_versions, django_assert_num_queries):
    query = CompiledQuery(_versions_from, number=int)
    query.values(number=1)

    with django_assert_num_queries(1):
        row = query.values(number=2)

    assert row == _versions_from(number=2).first()
