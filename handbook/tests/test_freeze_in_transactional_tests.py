"""The freeze triggers stay in force in transactional tests, and the flush still works."""

import pytest
from django.db import IntegrityError

from handbook.models import GuidelineVersion


@pytest.mark.django_db(transaction=True)
def test_published_version_is_frozen_in_a_transactional_test(version_one):
    with pytest.raises(IntegrityError):
        GuidelineVersion.objects.filter(pk=version_one.pk).update(title="Anders")


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_from_an_empty_database(version_one):
    assert GuidelineVersion.objects.count() == 1
