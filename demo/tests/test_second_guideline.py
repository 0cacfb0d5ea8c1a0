"""The demo's second guideline (demo.second_guideline): a demo text on working from home
and information security, made through the editors' text import, published with four
eyes, with a quiz bank and an editor of that guideline only; and the customer's
social-media guideline left exactly as the customer wrote it."""

from pathlib import Path

import pytest
from django.conf import settings

from demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.second_guideline import BANK_FILE, QUIZ_SETTINGS, SLUG, TEXT_FILE
from demo.tests.conftest import seed
from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip
from handbook.selectors import DEFAULT_GUIDELINE_SLUG, current_version
from handbook.selectors.access import editable_guidelines, has_guideline_perm
from handbook.selectors.canonical import version_hashes
from handbook.services.seed import read_seed
from handbook.text_io import parse_text
from people.models import Employee, ObjectRoleGrant
from people.roles import Role
from people.selectors import must_use_two_factor, roles_of
from quizzes.bank_io import parse_bank
from quizzes.models import Attempt, Option, Question, QuizEvent, QuizSettings
from quizzes.services import settings_for, start_attempt
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

EDITOR = "redacteur-thuiswerken@voorbeeldstad.nl"
CHANGE = "handbook.change_guidelineversion"


def _account(email: str) -> Employee:
    return Employee.objects.get(email=email)


def _guideline() -> Guideline:
    return Guideline.objects.get(slug=SLUG)


def _version() -> GuidelineVersion:
    return _guideline().versions.get(number=1)


def _file_text():
    return parse_text(TEXT_FILE.read_bytes(), format="markdown")


# --------------------------------------------------------------------------- the text


def test_the_demo_has_a_second_guideline_beside_the_social_media_one(seeded):
    assert set(Guideline.objects.values_list("slug", flat=True)) == {
        DEFAULT_GUIDELINE_SLUG,
        SLUG,
    }


def test_the_second_guideline_is_published_and_in_force_today(seeded):
    version = _version()

    assert version.status == GuidelineVersion.Status.PUBLISHED
    assert current_version(guideline=_guideline()) == version


def test_the_second_guideline_holds_the_demo_files_text_in_dutch_and_english(seeded):
    version, text = _version(), _file_text()

    assert (version.title, version.title_en) == (text.title, text.title_en)
    assert (version.introduction, version.introduction_en) == (
        text.introduction,
        text.introduction_en,
    )
    assert list(version.tips.order_by("number").values_list("number", "text", "text_en")) == [
        (tip.number, tip.text, tip.text_en) for tip in text.tips
    ]


def test_the_second_guideline_has_an_introduction_and_five_or_six_tips(seeded):
    version = _version()

    assert version.introduction and version.introduction_en
    assert 5 <= version.tips.count() <= 6
    assert not version.tips.filter(text_en="").exists()


def test_the_guidelines_title_is_the_files_in_both_languages(seeded):
    guideline = _guideline()

    assert guideline.title == "Handreiking thuiswerken en informatiebeveiliging"
    assert guideline.title_en == "Guidance on working from home and information security"


def test_the_introduction_says_in_both_languages_that_it_is_a_demo_text(seeded):
    version = _version()

    assert version.introduction.startswith(
        "*Dit is een voorbeeldtekst voor de demo van het richtlijnenportaal. Het is geen "
        "officiële tekst van een gemeente.*"
    )
    assert version.introduction_en.startswith(
        "*This is a sample text for the demo of the guideline portal. It is not an official "
        "text of any municipality.*"
    )


def test_the_demo_files_front_matter_says_it_is_a_demo_text():
    front_matter = TEXT_FILE.read_text(encoding="utf-8").split("---\n")[1]

    assert "Demotekst" in front_matter
    assert "Demo text" in front_matter
    assert "not an official text" in front_matter


def test_the_demo_quiz_bank_file_says_it_is_written_for_the_demo():
    assert "Written for the portal's demo: not an official text" in BANK_FILE.read_text(
        encoding="utf-8"
    )


def test_the_text_came_in_through_the_editors_markdown_import(seeded):
    imports = HandbookEvent.objects.filter(
        guideline__slug=SLUG, kind=HandbookEvent.Kind.DRAFT_CHANGED, details__via="import"
    )

    assert [(e.details["format"], e.details["tips"]) for e in imports] == [
        ("markdown", len(_file_text().tips))
    ]
    assert imports.get().actor == _account("redacteur@voorbeeldstad.nl")


def test_every_tip_of_the_first_version_is_marked_new(seeded):
    assert set(_version().tips.values_list("change", flat=True)) == {Tip.Change.NEW}


# --------------------------------------------------------------------------- four eyes


def test_the_second_guideline_is_written_by_one_editor_and_published_by_another(seeded):
    version = _version()

    assert version.created_by == _account("redacteur@voorbeeldstad.nl")
    assert version.last_edited_by == _account("redacteur@voorbeeldstad.nl")
    assert version.published_by == _account("redacteur2@voorbeeldstad.nl")


def test_the_published_hash_is_the_hash_of_the_stored_text(seeded):
    version = _version()

    assert (version.content_hash, version.content_hash_en) == version_hashes(version=version)


# --------------------------------------------------------------------------- owner, audience


def test_the_second_guideline_is_owned_by_its_own_editor(seeded):
    assert _guideline().owner == _account(EDITOR)


def test_the_second_guideline_is_reviewed_a_year_after_it_took_effect(seeded):
    effective = _version().effective_date

    assert _guideline().review_date == effective.replace(year=effective.year + 1)


def test_the_second_guideline_applies_to_all_staff(seeded):
    assert _guideline().audience == Guideline.Audience.EVERYONE


# --------------------------------------------------------------------------- quiz


def test_the_quiz_bank_is_the_demo_file_loaded_into_version_one(seeded):
    bank = parse_bank(BANK_FILE.read_text(encoding="utf-8"))
    stored = _version().questions.filter(is_active=True)

    assert 4 <= len(bank.questions) <= 6
    assert sorted(stored.values_list("key", flat=True)) == sorted(q.key for q in bank.questions)
    assert QuizEvent.objects.filter(version=_version(), kind=QuizEvent.Kind.BANK_IMPORTED).exists()


def test_every_question_has_a_situation_and_feedback_in_dutch_and_english(seeded):
    questions = Question.objects.filter(version=_version())
    options = Option.objects.filter(question__version=_version())

    assert not questions.filter(situation="").exists()
    assert not questions.filter(situation_en="").exists()
    assert not questions.filter(prompt_en="").exists()
    assert not options.filter(text_en="").exists()
    assert not options.filter(explanation="").exists()
    assert not options.filter(explanation_en="").exists()


def test_every_question_has_exactly_one_right_answer(seeded):
    for question in Question.objects.filter(version=_version()):
        assert question.options.filter(is_correct=True).count() == 1, question.key


def test_every_question_tests_a_tip_of_the_second_guideline(seeded):
    for question in Question.objects.filter(version=_version()):
        assert question.tips.exists(), question.key
        assert set(question.tips.values_list("version", flat=True)) == {_version().pk}


def test_passing_the_quiz_is_required_with_the_pass_mark_of_the_first_guideline(seeded):
    first = current_version(guideline=Guideline.objects.get(slug=DEFAULT_GUIDELINE_SLUG))
    stored = QuizSettings.objects.get(version=_version())

    assert stored.required_for_acknowledgement
    assert stored.pass_mark == settings_for(version=first).pass_mark
    assert stored.questions_per_attempt == QUIZ_SETTINGS["questions_per_attempt"]


def test_an_employee_can_start_the_second_guidelines_quiz(seeded):
    attempt = start_attempt(employee=_account("medewerker@voorbeeldstad.nl"), version=_version())

    assert attempt.served.count() == QUIZ_SETTINGS["questions_per_attempt"]


def test_the_demo_quiz_attempts_are_all_on_the_social_media_guideline(seeded):
    assert not Attempt.objects.filter(version__guideline__slug=SLUG).exists()


# --------------------------------------------------------------------------- its editor


def test_the_thuiswerken_editor_may_edit_the_second_guideline(seeded):
    assert has_guideline_perm(user=_account(EDITOR), perm=CHANGE, guideline=_guideline())


def test_the_thuiswerken_editor_may_not_edit_the_social_media_guideline(seeded):
    social_media = Guideline.objects.get(slug=DEFAULT_GUIDELINE_SLUG)

    assert not has_guideline_perm(user=_account(EDITOR), perm=CHANGE, guideline=social_media)


def test_the_thuiswerken_editor_edits_exactly_one_guideline(seeded):
    assert list(editable_guidelines(user=_account(EDITOR))) == [_guideline()]


def test_the_thuiswerken_editor_holds_no_editor_role_for_all_guidelines(seeded):
    editor = _account(EDITOR)

    assert roles_of(user=editor) == {Role.EMPLOYEE}
    assert not editor.has_perm(CHANGE)


def test_the_demo_administrator_granted_the_role_on_the_second_guideline(seeded):
    grant = ObjectRoleGrant.objects.get(employee=_account(EDITOR))

    assert (grant.role, grant.target) == (Role.EDITOR, _guideline())
    assert grant.granted_by == _account("beheerder@voorbeeldstad.nl")
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ROLE_GRANTED,
        subject=_account(EDITOR),
        details__object_id=_guideline().pk,
    ).exists()


def test_the_thuiswerken_editor_must_use_two_factor_and_has_a_demo_authenticator(seeded):
    from demo.totp import demo_totp_secret, stored_totp_secret

    editor = _account(EDITOR)

    assert must_use_two_factor(user=editor)
    assert stored_totp_secret(editor) == demo_totp_secret(EDITOR)


def test_the_thuiswerken_editor_logs_in_with_the_demo_password(client, seeded):
    assert client.login(email=EDITOR, password=DEMO_PASSWORD)


def test_the_printed_accounts_describe_the_thuiswerken_editors_role(seeded):
    line = next(line for line in seeded.splitlines() if line.strip().startswith(EDITOR))

    assert "redacteur van alleen de handreiking Thuiswerken" in line
    assert line.endswith("(TOTP)")


def test_the_thuiswerken_editor_is_a_demo_account_on_that_guideline_only():
    account = next(a for a in DEMO_ACCOUNTS if a.email == EDITOR)

    assert (account.role, account.guideline) == (Role.EDITOR, SLUG)


# --------------------------------------------------------------------------- idempotent


def _counts() -> dict[str, int]:
    return {
        "guidelines": Guideline.objects.count(),
        "versions": GuidelineVersion.objects.count(),
        "tips": Tip.objects.count(),
        "handbook events": HandbookEvent.objects.count(),
        "questions": Question.objects.count(),
        "options": Option.objects.count(),
        "quiz settings": QuizSettings.objects.count(),
        "quiz events": QuizEvent.objects.count(),
        "object roles": ObjectRoleGrant.objects.count(),
        "security events": SecurityEvent.objects.count(),
    }


def test_seeding_again_changes_nothing_of_the_second_guideline(seeded):
    before = _counts()
    hashes = (_version().content_hash, _version().content_hash_en)

    output = seed()

    assert _counts() == before
    assert (_version().content_hash, _version().content_hash_en) == hashes
    assert "second guideline (demo text) already there (left alone)" in output


def test_seeding_again_keeps_an_editors_change_to_the_second_guidelines_quiz(seeded):
    QuizSettings.objects.filter(version=_version()).update(pass_mark=60)

    seed()

    assert QuizSettings.objects.get(version=_version()).pass_mark == 60


def test_seeding_again_keeps_an_owner_the_administrator_chose(seeded):
    Guideline.objects.filter(slug=SLUG).update(owner=_account("hr@voorbeeldstad.nl"))

    seed()

    assert _guideline().owner == _account("hr@voorbeeldstad.nl")


def test_seeding_again_leaves_a_new_draft_of_the_second_guideline_alone(seeded):
    from handbook.services import create_draft

    draft = create_draft(guideline=_guideline(), actor=_account("redacteur@voorbeeldstad.nl"))

    seed()

    assert list(_guideline().versions.values_list("pk", flat=True).order_by("number")) == [
        _version().pk,
        draft.pk,
    ]


# --------------------------------------------------------------------------- customer's text


def test_the_demo_leaves_the_social_media_guideline_byte_identical_to_the_customers_text(
    seeded,
):
    customer = read_seed(path=settings.HANDBOOK_SEED_FILE)
    version = GuidelineVersion.objects.get(guideline__slug=DEFAULT_GUIDELINE_SLUG, number=1)

    assert version.title.encode() == customer.title.encode()
    assert version.introduction.encode() == customer.introduction.encode()
    assert [(tip.number, tip.text.encode()) for tip in version.tips.order_by("number")] == [
        (number, text.encode()) for number, text in customer.tips
    ]
    assert version.content_hash == version_hashes(version=version)[0]


def test_the_demo_publishes_no_other_version_of_the_social_media_guideline(seeded):
    published = GuidelineVersion.objects.filter(
        guideline__slug=DEFAULT_GUIDELINE_SLUG, status=GuidelineVersion.Status.PUBLISHED
    )

    assert list(published.values_list("number", flat=True)) == [1]


def test_the_demo_text_import_cannot_land_in_the_social_media_guideline(seeded):
    """The file names its guideline: importing it into the customer's draft is refused
    whole, so a slip in the demo can never overwrite the customer's text."""
    from handbook.services.text_import import import_text
    from handbook.text_io import TextFormatError

    draft = GuidelineVersion.objects.get(guideline__slug=DEFAULT_GUIDELINE_SLUG, number=2)
    before = list(draft.tips.values_list("text", flat=True))

    with pytest.raises(TextFormatError):
        import_text(
            version=draft,
            data=TEXT_FILE.read_bytes(),
            filename=TEXT_FILE.name,
            actor=_account("redacteur@voorbeeldstad.nl"),
        )

    assert list(draft.tips.values_list("text", flat=True)) == before


def test_the_repositorys_seed_file_is_still_the_customers_file_after_the_demo(seeded):
    customer_file = (
        Path(settings.BASE_DIR).parent / "shared" / "seed" / (settings.HANDBOOK_SEED_FILE.name)
    )
    if not customer_file.exists():
        pytest.skip("the customer's original is not beside this checkout")

    assert settings.HANDBOOK_SEED_FILE.read_bytes() == customer_file.read_bytes()
