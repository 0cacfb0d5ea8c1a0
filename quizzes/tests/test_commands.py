"""The bank commands: load (idempotent), import (all or nothing, exit code), export."""

import io
import os
import re
import textwrap

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from handbook.tests.factories import GuidelineFactory, published_version
from quizzes.bank_io import parse_bank
from quizzes.models import Question, QuizEvent
from quizzes.tests.factories import make_bank


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
        tips: [1]
        situation: {nl: "Situatie."}
        question: {nl: "Vraag?"}
        options:
          - text: {nl: "Goed"}
            correct: true
            explanation: {nl: "Ja."}
          - text: {nl: "Fout"}
            explanation: {nl: "Nee."}
          - text: {nl: "Ook fout"}
            explanation: {nl: "Nee."}
    """
)


@pytest.fixture
def version(db):
    return published_version(GuidelineFactory(), tips=["Een.", "Twee."])


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_quiz_bank_imports_the_file_of_each_published_version(version, tmp_path):
    (tmp_path / "sociale-media-v1.yaml").write_text(BANK, encoding="utf-8")

    output = _run("load_quiz_bank", "--directory", str(tmp_path))

    assert "1 created" in output
    assert version.questions.count() == 1


def test_load_quiz_bank_is_idempotent(version, tmp_path):
    (tmp_path / "sociale-media-v1.yaml").write_text(BANK, encoding="utf-8")
    _run("load_quiz_bank", "--directory", str(tmp_path))

    output = _run("load_quiz_bank", "--directory", str(tmp_path))

    assert "has questions already" in output
    assert version.questions.count() == 1
    assert QuizEvent.objects.count() == 1


def test_load_quiz_bank_without_a_file_says_so_and_succeeds(version, tmp_path):
    output = _run("load_quiz_bank", "--directory", str(tmp_path))

    assert "no question bank file" in output
    assert not Question.objects.exists()


def test_load_quiz_bank_without_versions_says_so(db, tmp_path):
    assert "No published guideline version" in _run("load_quiz_bank", "--directory", str(tmp_path))


def test_the_bank_file_in_the_repository_loads_into_version_one_if_it_is_there(version_one):
    from quizzes.management.commands.load_quiz_bank import DATA_DIRECTORY

    _run("load_quiz_bank")

    if (DATA_DIRECTORY / "sociale-media-v1.yaml").exists():
        assert version_one.questions.filter(is_active=True).exists()
    else:
        assert not version_one.questions.exists()


def test_import_quiz_bank_imports_a_file(version, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")

    output = _run("import_quiz_bank", str(path))

    assert "1 created" in output
    assert version.questions.get().key == "eerste"


def test_import_quiz_bank_into_a_named_version(version, tmp_path):
    second = published_version(version.guideline, number=2, tips=["Een."])
    path = tmp_path / "bank.yaml"
    path.write_text(BANK.replace("version: 1", "version: 2"), encoding="utf-8")

    _run("import_quiz_bank", str(path), "--version", "2")

    assert second.questions.count() == 1


def test_import_quiz_bank_refuses_a_malformed_file_with_line_and_reason(version, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK.replace("        correct: true\n", ""), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        _run("import_quiz_bank", str(path))

    assert "line 8: " in str(caught.value)
    assert "exactly one option must be correct" in str(caught.value)
    assert not Question.objects.exists()


def test_import_quiz_bank_refuses_an_unknown_tip_with_its_line(version, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK.replace("tips: [1]", "tips: [1, 5]"), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        _run("import_quiz_bank", str(path))

    assert "line 5: " in str(caught.value)
    assert not Question.objects.exists()


def test_import_quiz_bank_exits_non_zero_on_a_malformed_file(version, tmp_path):
    import subprocess  # noqa: S404 - the real command line, to see its exit code
    import sys

    from django.conf import settings

    path = tmp_path / "bank.yaml"
    path.write_text("guideline: sociale-media\nversion: 1\nquestions: []\n", encoding="utf-8")

    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "import_quiz_bank", str(path)],
        cwd=settings.BASE_DIR,
        # Never the developer's database: the file is refused before any query.
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": "sqlite://:memory:",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode != 0
    # A command speaks the portal's default language (Dutch): "regel 3: ...".
    assert re.search(r"\b(line|regel) 3: ", completed.stderr), completed.stderr


def test_export_quiz_bank_writes_the_file(version, tmp_path):
    make_bank(version)
    path = tmp_path / "out.yaml"

    _run("export_quiz_bank", "--version", "1", "--output", str(path))

    bank = parse_bank(path.read_text(encoding="utf-8"))
    assert [q.key for q in bank.questions] == ["tip1-1", "tip2-1"]


def test_export_quiz_bank_to_stdout(version):
    make_bank(version)

    output = _run("export_quiz_bank", "--version", "1")

    assert output.startswith("# Question bank of sociale-media, version 1.")


def test_export_quiz_bank_of_an_unknown_version_fails(version):
    with pytest.raises(CommandError):
        _run("export_quiz_bank", "--version", "7")
