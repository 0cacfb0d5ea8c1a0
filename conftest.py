import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def version_one(db):
    """The customer's guideline, loaded as published version 1, as `make run` does."""
    from django.core.management import call_command

    from handbook.models import GuidelineVersion

    call_command("load_handbook", verbosity=0)
    return GuidelineVersion.objects.get(number=1)
