"""Importing a bank into a version: upsert by key, all or nothing, and the round trip."""

import textwrap

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from quizzes.bank_io import BankFormatError, export_bank, parse_bank
from quizzes.models import Question, QuizEvent
from quizzes.selectors import ordered_tips
from quizzes.services import ImportResult, import_bank
from quizzes.tests.factories import QuestionFactory, served_attempt


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages follow the active language; these tests read their English ids."""
    with translation.override("en"):
        yield


BANK = textwrap.dedent(
    """\
    guideline: sociale-media
    version: 1
    questions:
      - key: eerste
        tips: [3, 1]
        situation: {nl: "Situatie een.", en: "Situation one."}
        question: {nl: "Wat doe je?", en: "What do you do?"}
        options:
          - text: {nl: "Goed", en: "Right"}
            correct: true
            explanation: {nl: "Zo hoort het.", en: "That is how."}
          - text: {nl: "Fout"}
            explanation: {nl: "Zo niet."}
          - text: {nl: "Ook fout"}
            explanation: {nl: "Ook niet."}
      - key: tweede
        tips: [2]
        multiple_answers: true
        situation: {nl: "Situatie twee."}
        question: {nl: "Wat klopt?"}
        options:
          - text: {nl: "A"}
            correct: true
            explanation: {nl: "a"}
          - text: {nl: "B"}
            correct: true
            explanation: {nl: "b"}
          - text: {nl: "C"}
            explanation: {nl: "c"}
    """
)


@pytest.fixture
def version(db):
    return published_version(GuidelineFactory(), tips=["Een.", "Twee.", "Drie."])


def _content(version) -> list[tuple]:
    """Everything a bank says about the version's questions, comparable across versions."""
    questions = list(version.questions.prefetch_related("options").order_by("position"))
    tips = ordered_tips(question_ids=(q.pk for q in questions))
    return [
        (
            q.key,
            q.position,
            q.situation,
            q.situation_en,
            q.prompt,
            q.prompt_en,
            q.multiple_answers,
            q.is_active,
            [t.number for t in tips.get(q.pk, [])],
            [
                (o.position, o.text, o.text_en, o.is_correct, o.explanation, o.explanation_en)
                for o in q.options.all()
            ],
        )
        for q in questions
    ]


def _with_fourth_option(bank: str) -> str:
    last = '      - text: {nl: "Ook fout"}\n        explanation: {nl: "Ook niet."}\n'
    assert last in bank
    return bank.replace(
        last, last + '      - text: {nl: "Vierde"}\n        explanation: {nl: "Vier."}\n'
    )


def test_import_creates_questions_options_and_tips_in_order(version, editor):
    result = import_bank(version=version, bank=parse_bank(BANK), actor=editor)

    assert result == ImportResult(created=("eerste", "tweede"))
    first = version.questions.get(key="eerste")
    assert first.situation_en == "Situation one."
    assert [o.text for o in first.options.order_by("position")] == ["Goed", "Fout", "Ook fout"]
    assert [t.number for t in ordered_tips(question_ids=[first.pk])[first.pk]] == [3, 1]
    assert version.questions.get(key="tweede").multiple_answers is True


def test_import_logs_a_quiz_event_with_the_counts(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)

    event = QuizEvent.objects.get()
    assert event.kind == QuizEvent.Kind.BANK_IMPORTED
    assert event.actor == editor
    assert event.version == version
    assert event.details == {"created": 2, "updated": 0, "deactivated": 0, "unchanged": 0}


def test_importing_the_same_file_again_changes_nothing(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)

    result = import_bank(version=version, bank=parse_bank(BANK), actor=editor)

    assert result == ImportResult(unchanged=("eerste", "tweede"))


def test_import_updates_by_key_and_deactivates_questions_not_in_the_file(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    first = version.questions.get(key="eerste")
    option_ids = list(first.options.order_by("position").values_list("pk", flat=True))
    changed = BANK.replace("Situatie een.", "Situatie een, herschreven.")
    changed = changed[: changed.index("  - key: tweede")]

    result = import_bank(version=version, bank=parse_bank(changed), actor=editor)

    assert result == ImportResult(updated=("eerste",), deactivated=("tweede",))
    first.refresh_from_db()
    assert first.situation == "Situatie een, herschreven."
    assert list(first.options.order_by("position").values_list("pk", flat=True)) == option_ids
    assert version.questions.get(key="tweede").is_active is False


def test_a_served_question_keeps_its_option_ids_when_its_options_change(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    first = version.questions.get(key="eerste")
    served_attempt(version=version, questions=[first])
    option_ids = list(first.options.order_by("position").values_list("pk", flat=True))
    changed = BANK.replace('text: {nl: "Fout"}', 'text: {nl: "Fout, beter gezegd"}')

    import_bank(version=version, bank=parse_bank(changed), actor=editor)

    options = list(first.options.order_by("position"))
    assert [o.pk for o in options] == option_ids
    assert options[1].text == "Fout, beter gezegd"


def test_a_served_question_may_not_change_its_number_of_options(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    first = version.questions.get(key="eerste")
    served_attempt(version=version, questions=[first])
    four = _with_fourth_option(BANK)
    before = _content(version)

    with pytest.raises(BankFormatError) as caught:
        import_bank(version=version, bank=parse_bank(four), actor=editor)

    assert caught.value.errors[0][0] == 4
    assert "cannot change to 4" in caught.value.errors[0][1]
    assert _content(version) == before


def test_an_unserved_question_may_change_its_number_of_options(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    four = _with_fourth_option(BANK)

    import_bank(version=version, bank=parse_bank(four), actor=editor)

    assert version.questions.get(key="eerste").options.count() == 4


def test_a_tip_the_version_does_not_have_is_refused_with_its_line(version, editor):
    bank = parse_bank(BANK.replace("tips: [2]", "tips: [2, 7]"))

    with pytest.raises(BankFormatError) as caught:
        import_bank(version=version, bank=bank, actor=editor)

    assert caught.value.errors == [
        (
            17,
            "Question “tweede” names tip 7, which version 1 does not have (it has tips 1 to 3).",
        )
    ]
    assert not Question.objects.exists()
    assert not QuizEvent.objects.exists()


def test_a_file_for_another_version_is_refused(version, editor):
    bank = parse_bank(BANK.replace("version: 1", "version: 2"))

    with pytest.raises(BankFormatError) as caught:
        import_bank(version=version, bank=bank, actor=editor)

    assert caught.value.errors == [(2, "The file is for version 2, not for version 1.")]
    assert not Question.objects.exists()


def test_a_file_for_another_guideline_is_refused(version, editor):
    bank = parse_bank(BANK.replace("guideline: sociale-media", "guideline: thuiswerken"))

    with pytest.raises(BankFormatError) as caught:
        import_bank(version=version, bank=bank, actor=editor)

    assert caught.value.errors[0][0] == 1
    assert not Question.objects.exists()


def test_nothing_is_imported_when_one_question_of_many_is_wrong(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    before = _content(version)
    bank = parse_bank(BANK.replace("Situatie een.", "Nieuw.").replace("tips: [2]", "tips: [9]"))

    with pytest.raises(BankFormatError):
        import_bank(version=version, bank=bank, actor=editor)

    assert _content(version) == before


def test_someone_without_the_permission_cannot_import(version):
    with pytest.raises(PermissionDenied):
        import_bank(version=version, bank=parse_bank(BANK), actor=EmployeeFactory())

    assert not Question.objects.exists()


def test_export_parse_import_into_a_fresh_version_gives_the_same_content(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    QuestionFactory(
        version=version,
        key="lang-en-meerregelig",
        position=3,
        is_active=False,
        situation="Een lange situatie " * 8 + "met “aanhalingstekens”: en dubbele punten.",
        situation_en="",
        prompt="Eerste regel.\nTweede regel, met  twee spaties.\n\nNa een witregel.",
        tips=[1],
        options=[False, True, False, False],
    )
    other = published_version(
        GuidelineFactory(slug="sociale-media"), number=2, tips=["Een.", "Twee.", "Drie."]
    )

    text = export_bank(version).replace("version: 1", "version: 2")
    import_bank(version=other, bank=parse_bank(text), actor=editor)

    assert _content(other) == _content(version)
    assert export_bank(other) == text.replace("version 1.", "version 2.")


def test_the_export_is_readable_yaml(version, editor):
    import_bank(version=version, bank=parse_bank(BANK), actor=editor)
    QuestionFactory(
        version=version, key="lang", position=3, situation="Woord " * 30 + "eind.", tips=[1]
    )

    text = export_bank(version)

    assert text.startswith("# Question bank of sociale-media, version 1.")
    assert "  - key: eerste\n    tips: [3, 1]\n" in text
    assert "situation:\n      nl: >-\n        Woord Woord" in text  # long text: folded block
    assert "- text: {nl: Goed, en: Right}" in text  # short texts on one line
    assert parse_bank(text).questions[2].situation == "Woord " * 30 + "eind."


def test_the_repository_bank_exports_to_a_file_that_reads_back_the_same(version_one):
    from quizzes.management.commands.load_quiz_bank import DATA_DIRECTORY

    path = DATA_DIRECTORY / "sociale-media-v1.yaml"
    if not path.exists():
        pytest.skip("no question bank file for version 1 yet")
    original = parse_bank(path.read_text(encoding="utf-8"))
    import_bank(version=version_one, bank=original, actor=None)

    exported = parse_bank(export_bank(version_one))

    assert exported == original
