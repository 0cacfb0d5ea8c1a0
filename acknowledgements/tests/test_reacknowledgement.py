"""Re-acknowledgement: a version that changed in meaning asks who signed an earlier one
to re-read only the changed tips, pass the quiz on them and sign again; an editorial
version asks them nothing; first-time signers still read everything."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from acknowledgements import selectors, services
from acknowledgements.models import TipRead
from acknowledgements.selectors import eligibility, reacknowledgement
from acknowledgements.selectors.reacknowledgement import State
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from handbook.models import Tip
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, links, parse, select, text_of
from quizzes import services as quiz_services
from quizzes.models import Attempt
from quizzes.tests.factories import make_bank, quiz_version, right_answers, submitted_attempt

pytestmark = pytest.mark.django_db

U, E, M, N = Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL, Tip.Change.NEW
CHANGES_URL = reverse("signing:changes", kwargs={"guideline": "sociale-media"})


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory(first_name="Jan", last_name="Jansen", preferred_language="en")


@pytest.fixture
def first():
    return quiz_version(tips=3, effective_date=datetime.date(2026, 1, 1))


def next_version(previous, texts, changes, *, number=None, bank=True, days_ago=0, **fields):
    """A published version after ``previous``: tips keep their lineage by position;
    extra texts are new tips."""
    lineages = [tip.lineage for tip in previous.tips.order_by("number")]
    lineages += [None] * (len(texts) - len(lineages))
    version = published_version(
        previous.guideline,
        number=number or previous.number + 1,
        tips=texts,
        based_on=previous,
        lineages=lineages[: len(texts)],
        changes=changes,
        effective_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        **fields,
    )
    if bank:
        make_bank(version)
    return version


def editorial(first):
    texts = ["Tip 1: doe het goed.", "Tip 2: doe het echt goed.", "Tip 3: doe het goed."]
    return next_version(first, texts, [U, E, U])


def material(first, **kwargs):
    texts = [
        "Tip 1: doe het goed.",
        "Tip 2: plaats nooit iets over inwoners.",
        "Tip 3: doe het goed!",
        "Tip 4: nieuw.",
    ]
    return next_version(first, texts, [U, M, E, N], **kwargs)


def signed_first(employee, first):
    ready_to_sign(employee, first)
    return signed(employee, first)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pass_changes_quiz(employee, version):
    tip_ids = reacknowledgement.changes_quiz_tip_ids(employee=employee, version=version)
    attempt = quiz_services.start_attempt(
        employee=employee, version=version, purpose=Attempt.Purpose.CHANGES, tip_ids=tip_ids
    )
    return quiz_services.submit_attempt(
        employee=employee, attempt_id=attempt.pk, answers=right_answers(attempt)
    )


# --------------------------------------------------------------------------- rules


def test_needs_reacknowledgement_follows_the_marks_and_the_flag(first):
    assert reacknowledgement.needs_reacknowledgement(version=editorial(first)) is False
    assert reacknowledgement.needs_reacknowledgement(version=material(first, number=3)) is True
    flagged = next_version(
        first, ["a", "b", "c"], [E, E, E], number=4, bank=False, requires_reacknowledgement=True
    )
    assert reacknowledgement.needs_reacknowledgement(version=flagged) is True


def test_an_editorial_version_asks_nothing_of_who_signed_the_one_before(employee, first):
    signed_first(employee, first)
    second = editorial(first)

    status = selectors.status_for(employee=employee, version=second)

    assert status.state == State.UP_TO_DATE and status.up_to_date
    assert status.signed_version == first and status.changed_tips == []
    assert eligibility.signing_blockers(employee=employee, version=second) == []
    assert reacknowledgement.changes_quiz_tip_ids(employee=employee, version=second) is None
    assert reacknowledgement.last_signed_version(employee=employee, guideline=first.guideline) == (
        first
    )


def test_a_material_version_asks_to_reread_only_the_changed_tips_and_pass_the_changes_quiz(
    employee, first
):
    signed_first(employee, first)
    second = material(first)

    status = selectors.status_for(employee=employee, version=second)
    assert status.state == State.MUST_RESIGN
    assert [tip.number for tip in status.changed_tips] == [2, 4]  # tip 3 is editorial
    blockers = eligibility.signing_blockers(employee=employee, version=second)
    assert any("tip 2, 4" in reason for reason in blockers)
    assert any("quiz on the changes" in reason for reason in blockers)

    TipRead.objects.bulk_create(TipRead(employee=employee, tip=tip) for tip in status.changed_tips)
    assert eligibility.signing_blockers(employee=employee, version=second) == [
        "Pass the quiz on the changes first."
    ]
    attempt = pass_changes_quiz(employee, second)
    served = set(attempt.served.values_list("question__key", flat=True))
    assert served == {"tip2-1", "tip4-1"} and attempt.passed

    assert eligibility.signing_blockers(employee=employee, version=second) == []
    record = signed(employee, second)
    assert record.quiz_attempt == attempt
    assert selectors.status_for(employee=employee, version=second).state == State.SIGNED


def test_first_time_signers_still_read_every_tip_and_pass_the_whole_quiz(first):
    newcomer = EmployeeFactory()
    second = material(first)
    submitted_attempt(
        employee=newcomer,
        version=second,
        questions=list(second.questions.filter(key__in=["tip2-1", "tip4-1"])),
        purpose=Attempt.Purpose.CHANGES,
    )

    assert selectors.status_for(employee=newcomer, version=second).state == State.MUST_SIGN
    blockers = eligibility.signing_blockers(employee=newcomer, version=second)
    assert "Read every tip first. Not opened yet: tip 1, 2, 3, 4." in blockers
    assert "Pass the quiz on this version first." in blockers  # the changes quiz is not enough
    assert reacknowledgement.changes_quiz_tip_ids(employee=newcomer, version=second) is None
    with pytest.raises(services.SigningRefused):
        signed(newcomer, second)

    read_all_tips(newcomer, second)
    submitted_attempt(employee=newcomer, version=second)
    assert eligibility.signing_blockers(employee=newcomer, version=second) == []


def test_tips_are_compared_by_lineage_so_a_moved_tip_is_not_a_change(employee, first):
    signed_first(employee, first)
    one, two, three = first.tips.order_by("number")
    second = published_version(
        first.guideline,
        number=2,
        tips=[one.text, three.text, two.text],
        lineages=[one.lineage, three.lineage, two.lineage],
        changes=[U, U, U],
        based_on=first,
        effective_date=timezone.localdate(),
    )

    assert reacknowledgement.changed_tips_since(employee=employee, version=second) == []
    assert selectors.status_for(employee=employee, version=second).state == State.UP_TO_DATE


def test_a_tip_changed_in_meaning_and_changed_back_asks_nothing(employee, first):
    signed_first(employee, first)
    original = [t.text for t in first.tips.order_by("number")]
    second = next_version(first, ["Tip 1: anders.", *original[1:]], [M, U, U], days_ago=1)
    third = next_version(second, original, [M, U, U])

    status = selectors.status_for(employee=employee, version=third)

    assert status.state == State.UP_TO_DATE and status.changed_tips == []
    assert selectors.status_for(employee=employee, version=second).state == State.MUST_RESIGN


def test_a_material_version_two_steps_later_asks_for_the_tip_changed_in_between(employee, first):
    signed_first(employee, first)
    texts = [t.text for t in first.tips.order_by("number")]
    second = next_version(first, [texts[0], "Tip 2: veranderd.", texts[2]], [U, M, U], days_ago=1)
    third = next_version(second, [texts[0], "Tip 2: veranderd.", "Tip 3: beter."], [U, U, E])

    status = selectors.status_for(employee=employee, version=third)

    assert status.state == State.MUST_RESIGN
    assert [tip.number for tip in status.changed_tips] == [2]
    assert reacknowledgement.changes_quiz_tip_ids(employee=employee, version=third) == [
        third.tips.get(number=2).pk
    ]
    # The quiz on the changes asks about tip 2, though this version marks it unchanged.
    attempt = pass_changes_quiz(employee, third)
    assert list(attempt.served.values_list("question__key", flat=True)) == ["tip2-1"]


def test_the_flag_alone_asks_for_a_new_signature_without_reading(employee, first):
    signed_first(employee, first)
    texts = [t.text for t in first.tips.order_by("number")]
    second = next_version(first, texts, [U, U, U], requires_reacknowledgement=True)

    status = selectors.status_for(employee=employee, version=second)

    assert status.state == State.MUST_RESIGN and status.changed_tips == []
    assert eligibility.signing_blockers(employee=employee, version=second) == []


# --------------------------------------------------------------------------- pages


def test_the_changes_view_lists_material_tips_first_with_the_diff(employee, first):
    signed_first(employee, first)
    second = material(first)
    TipRead.objects.create(employee=employee, tip=second.tips.get(number=2))

    response = client_for(employee).get(CHANGES_URL)
    page = parse(response)

    assert response.status_code == 200
    assert len(select(page, "h1")) == 1
    assert select(page, "#changes-must-resign")
    tips = {tip.id: tip.attributes for tip in select(page, "#changes-material > section")}
    assert list(tips) == ["changes-tip-2", "changes-tip-4"]
    assert [(t["data-required"], t["data-read"]) for t in tips.values()] == [
        ("true", "true"),
        ("true", "false"),
    ]
    assert [tip.id for tip in select(page, "#changes-editorial > section")] == ["changes-tip-3"]
    assert not select(page, "#changes-tip-1")  # unchanged: listed briefly
    assert reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1}
    ) in links(page, "#changes-unchanged details")
    assert select(page, "#diff del.diff-del") and select(page, "#diff ins.diff-ins")
    assert "start of deletion" in response.content.decode()
    assert "end of insertion" in response.content.decode()
    assert reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}
    ) in links(page, "#changes-tip-2")
    assert attribute(page, "a#changes-quiz-link", "href") == reverse(
        "quizzes:start", kwargs={"guideline": "sociale-media"}
    )
    assert select(page, "a#changes-sign-link")


def test_the_changes_view_for_someone_up_to_date_or_new(employee, first):
    signed_first(employee, first)
    editorial(first)

    page = parse(client_for(employee).get(CHANGES_URL))
    assert select(page, "#changes-up-to-date") and not select(page, "#changes-next")

    page = parse(client_for(EmployeeFactory()).get(CHANGES_URL))
    assert select(page, "#changes-first-time") and not select(page, "#diff")


@pytest.mark.parametrize("tips", [3, 6])
def test_the_changes_view_costs_a_fixed_number_of_queries(
    employee, django_assert_num_queries, tips
):
    first = quiz_version(tips=tips, effective_date=datetime.date(2026, 1, 1))
    signed_first(employee, first)
    texts = [f"Tip {n}: anders." for n in range(1, tips + 1)] + ["Nieuw."]
    next_version(first, texts, [M] * tips + [N])
    client = client_for(employee)
    client.get(CHANGES_URL)

    with django_assert_num_queries(CHANGES_QUERIES):
        response = client.get(CHANGES_URL)

    assert response.status_code == 200


# Layout (session, user, groups, manager?, two menu permission look-ups): 6; guideline
# and current version: 1 (eligibility.current_version_of); the status (last signed,
# tips now and then, marks in between): 4; both versions with their tips: 2; the marks
# again for the diff: 1; tips read: 1; what signing still needs (read, quiz settings,
# questions, change questions, passed): 5.
CHANGES_QUERIES = 20


def test_the_sign_page_of_a_resigner_lists_only_the_changed_tips(employee, first):
    signed_first(employee, first)
    material(first)

    sign_url = reverse("signing:sign", kwargs={"guideline": "sociale-media"})
    page = parse(client_for(employee).get(sign_url))

    assert links(page, "#unread-tips") == [
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}),
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 4}),
    ]
    assert links(page, "#changes-link") == [CHANGES_URL]


def test_the_home_page_tells_who_must_sign_again(employee, first):
    signed_first(employee, first)
    material(first)

    page = parse(client_for(employee).get(reverse("home")))

    item = "#home-guideline-sociale-media"
    assert "Version 2 changed in meaning" in text_of(page, f"{item} .home-resign")
    assert attribute(page, f"{item} .home-changes-link", "href") == CHANGES_URL


def test_the_home_page_says_up_to_date_after_an_editorial_version(employee, first):
    signed_first(employee, first)
    editorial(first)

    page = parse(client_for(employee).get(reverse("home")))

    item = "#home-guideline-sociale-media"
    assert select(page, f"{item} .home-up-to-date")
    assert not select(page, f"{item} .home-sign") and not select(page, f"{item} .home-resign")


def test_the_changes_quiz_is_offered_to_who_must_sign_again_only(employee, first):
    signed_first(employee, first)
    material(first)
    start = reverse("quizzes:start", kwargs={"guideline": "sociale-media"})

    assert 'id="start-changes-quiz"' in client_for(employee).get(start).content.decode()
    other = EmployeeFactory()
    submitted_attempt(employee=other, version=first)  # passed, never signed
    assert 'id="start-changes-quiz"' not in client_for(other).get(start).content.decode()
    assert client_for(other).post(start, {"purpose": "changes"}).status_code == 400
