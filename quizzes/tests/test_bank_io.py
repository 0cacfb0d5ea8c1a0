"""Reading a bank file: what is accepted, and every error with its line number."""

import textwrap

import pytest
from django.utils import translation

from quizzes.bank_io import BankFile, BankFormatError, OptionData, QuestionData, parse_bank


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages follow the active language; these tests read their English ids."""
    with translation.override("en"):
        yield


VALID = textwrap.dedent(
    """\
    guideline: sociale-media
    version: 1
    questions:
      - key: zwembad-sluiting
        tips: [2, 1]
        multiple_answers: false
        active: true
        situation:
          nl: "Het zwembad gaat dicht."
          en: "The pool is closing."
        question:
          nl: Wat doe je?
          en: What do you do?
        options:
          - text: {nl: "Ik reageer niet.", en: "I do not respond."}
            correct: true
            explanation: {nl: "Goed.", en: "Right."}
          - text: {nl: "Ik geef mijn mening."}
            explanation: {nl: "Niet doen."}
          - text: {nl: "Ik deel het bericht.", en: "I share the post."}
            correct: false
            explanation: {nl: "Liever niet.", en: "Better not."}
      - key: privacy-foto
        tips: [3]
        multiple_answers: true
        situation: Een collega maakt een foto.
        question: {nl: "Wat klopt?"}
        options:
          - text: {nl: "A"}
            correct: true
            explanation: {nl: "a"}
          - text: {nl: "B"}
            correct: true
            explanation: {nl: "b"}
          - text: {nl: "C"}
            correct: false
            explanation: {nl: "c"}
          - text: {nl: "D"}
            explanation: {nl: "d"}
    """
)


def _errors(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(BankFormatError) as caught:
        parse_bank(text)
    return caught.value.errors


def _with(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def test_a_valid_file_is_read_into_dataclasses():
    bank = parse_bank(VALID)

    assert isinstance(bank, BankFile)
    assert (bank.guideline, bank.version) == ("sociale-media", 1)
    first, second = bank.questions
    assert first == QuestionData(
        key="zwembad-sluiting",
        tips=[2, 1],
        multiple_answers=False,
        active=True,
        situation="Het zwembad gaat dicht.",
        situation_en="The pool is closing.",
        prompt="Wat doe je?",
        prompt_en="What do you do?",
        options=[
            OptionData("Ik reageer niet.", "I do not respond.", True, "Goed.", "Right."),
            OptionData("Ik geef mijn mening.", "", False, "Niet doen.", ""),
            OptionData(
                "Ik deel het bericht.", "I share the post.", False, "Liever niet.", "Better not."
            ),
        ],
    )
    assert first.line == 4
    assert second.multiple_answers is True
    assert second.active is True  # the default
    assert second.situation == "Een collega maakt een foto."  # plain text is Dutch
    assert second.situation_en == ""


def test_block_scalars_are_read_without_their_final_line_break():
    bank = parse_bank(
        _with(
            '  nl: "Het zwembad gaat dicht."',
            "  nl: |\n        Het zwembad\n        gaat dicht.",
        )
    )

    assert bank.questions[0].situation == "Het zwembad\ngaat dicht."


def test_invalid_yaml_names_its_line():
    errors = _errors(_with("version: 1\n", "version: [1\n"))

    assert len(errors) == 1
    assert errors[0][0] == 3
    assert "not valid YAML" in errors[0][1]


def test_an_empty_file_is_refused():
    assert _errors("") == [(None, "The file is empty.")]


def test_a_missing_field_names_the_question_line():
    errors = _errors(_with("    situation: Een collega maakt een foto.\n", ""))

    assert errors == [(23, "question “privacy-foto” misses the field “situation”.")]


def test_an_unknown_field_names_its_line():
    errors = _errors(_with("    multiple_answers: false\n", "    multiple_answer: false\n"))

    assert len(errors) == 1
    assert errors[0][0] == 6
    assert "Unknown field “multiple_answer”" in errors[0][1]


def test_a_missing_top_level_field_is_reported():
    errors = _errors(_with("guideline: sociale-media\n", ""))

    assert errors == [(1, "The file misses the field “guideline”.")]


def test_two_options_are_too_few():
    text = _with(
        '      - text: {nl: "Ik geef mijn mening."}\n        explanation: {nl: "Niet doen."}\n', ""
    )

    errors = _errors(text)

    assert len(errors) == 1
    line, reason = errors[0]
    assert line == 14
    assert "has 2 options; it must have 3 or 4" in reason


def test_five_options_are_too_many():
    extra = '      - text: {nl: "E"}\n        explanation: {nl: "e"}\n'

    errors = _errors(VALID + extra)

    assert len(errors) == 1
    assert errors[0][0] == 28
    assert "has 5 options" in errors[0][1]


def test_a_single_answer_question_needs_exactly_one_right_option():
    errors = _errors(_with("        correct: false\n", "        correct: true\n"))

    assert len(errors) == 1
    assert errors[0][0] == 14
    assert "exactly one option must be correct; now 2 are" in errors[0][1]


def test_a_multiple_answer_question_needs_at_least_two_right_options():
    text = VALID.replace(
        '- text: {nl: "B"}\n        correct: true', '- text: {nl: "B"}\n        correct: false'
    )

    errors = _errors(text)

    assert len(errors) == 1
    assert errors[0][0] == 28
    assert "at least two options must be correct; now 1 are" in errors[0][1]


def test_a_duplicate_key_names_both_lines():
    errors = _errors(_with("  - key: privacy-foto", "  - key: zwembad-sluiting"))

    assert errors == [
        (23, "The key “zwembad-sluiting” is used twice (also on line 4)."),
    ]


def test_empty_dutch_text_is_refused():
    errors = _errors(_with("nl: Wat doe je?", 'nl: ""'))

    assert errors == [(12, "“question” of question “zwembad-sluiting” has no Dutch text.")]


def test_an_empty_option_explanation_is_refused_with_its_line():
    errors = _errors(_with('explanation: {nl: "Niet doen."}', 'explanation: {nl: "  "}'))

    assert len(errors) == 1
    assert errors[0][0] == 19
    assert "has no Dutch text" in errors[0][1]


def test_tips_must_be_numbers():
    errors = _errors(_with("tips: [2, 1]", "tips: [twee]"))

    assert len(errors) == 1
    assert errors[0][0] == 5
    assert "must be a list of tip numbers" in errors[0][1]


def test_a_key_with_spaces_is_refused():
    errors = _errors(_with("key: privacy-foto", "key: privacy foto"))

    assert len(errors) == 1
    assert errors[0][0] == 23
    assert "may only hold letters, digits" in errors[0][1]


def test_active_must_be_true_or_false():
    errors = _errors(_with("    active: true\n", "    active: misschien\n"))

    assert errors == [(7, "“active” of question “zwembad-sluiting” must be true or false.")]


def test_all_errors_are_reported_at_once_in_line_order():
    text = _with("tips: [2, 1]", "tips: []")
    text = text.replace("    multiple_answers: false\n", "    multiple_answer: false\n", 1)
    text = text.replace("key: privacy-foto", "key: zwembad-sluiting")

    errors = _errors(text)

    assert [line for line, _reason in errors] == [5, 6, 23]


def test_the_error_lists_each_error_with_its_line():
    with pytest.raises(BankFormatError) as caught:
        parse_bank(_with("tips: [2, 1]", "tips: []"))

    assert str(caught.value).startswith("line 5: ")
