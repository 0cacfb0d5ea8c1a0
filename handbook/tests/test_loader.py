import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip


def _seed_paragraphs() -> list[str]:
    raw = settings.HANDBOOK_SEED_FILE.read_bytes().decode("utf-8")
    return [p for p in re.split(r"\n\s*\n", raw) if p.strip()]


def _seed_tips() -> list[tuple[int, str]]:
    tips = []
    for paragraph in _seed_paragraphs():
        match = re.match(r"^(\d+)\. (.*)$", paragraph.rstrip(), flags=re.DOTALL)
        if match:
            tips.append((int(match.group(1)), match.group(2).rstrip()))
    return tips


@pytest.mark.django_db
def test_loader_gives_the_eleven_tips_byte_for_byte_as_in_the_seed_file(version_one):
    expected = _seed_tips()
    stored = [(tip.number, tip.text) for tip in version_one.tips.order_by("number")]

    assert len(stored) == 11
    assert [n for n, _ in stored] == list(range(1, 12))
    for (number, text), (seed_number, seed_text) in zip(stored, expected, strict=True):
        assert number == seed_number
        assert text.encode("utf-8") == seed_text.encode("utf-8")


@pytest.mark.django_db
def test_loader_gives_the_title_and_introduction_of_the_seed_file(version_one):
    paragraphs = _seed_paragraphs()

    assert version_one.title == paragraphs[0].strip() == "Handreiking gebruik sociale media"
    assert version_one.introduction == paragraphs[1].strip()
    assert version_one.introduction.startswith("Sociale media spelen een steeds grotere rol")
    assert version_one.introduction.endswith("art. 125a Ambtenarenwet.")


@pytest.mark.django_db
def test_loader_publishes_version_one_with_its_hash(version_one):
    assert version_one.status == GuidelineVersion.Status.PUBLISHED
    assert re.fullmatch(r"[0-9a-f]{64}", version_one.content_hash)
    assert version_one.title_en == "Guidance on the use of social media"


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new(version_one):
    counts = (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Tip.objects.count(),
        HandbookEvent.objects.count(),
    )

    call_command("load_handbook", verbosity=0)

    assert (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Tip.objects.count(),
        HandbookEvent.objects.count(),
    ) == counts
    assert GuidelineVersion.objects.get().content_hash == version_one.content_hash


def test_the_repository_keeps_the_customers_text_byte_for_byte():
    """handbook/seed/ holds a verbatim copy of the customer's file (shared/seed/)."""
    customer_file = (
        Path(settings.BASE_DIR).parent / "shared" / "seed" / "handreiking-sociale-media.txt"
    )
    if not customer_file.exists():
        pytest.skip("the customer's original is not beside this checkout")
    assert settings.HANDBOOK_SEED_FILE.read_bytes() == customer_file.read_bytes()


@pytest.mark.django_db
def test_version_one_is_in_force_from_today_unless_the_loader_is_given_a_date():
    import io

    from django.utils import timezone

    call_command("load_handbook", stdout=io.StringIO())

    assert GuidelineVersion.objects.get().effective_date == timezone.localdate()


@pytest.mark.django_db
def test_the_loader_can_put_version_one_in_force_from_an_earlier_date():
    import datetime
    import io

    call_command("load_handbook", effective_date=datetime.date(2024, 9, 1), stdout=io.StringIO())

    version = GuidelineVersion.objects.get()
    assert version.effective_date == datetime.date(2024, 9, 1)
    assert version.guideline.review_date == datetime.date(2025, 9, 1)
