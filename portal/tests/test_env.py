"""Renamed and retired environment variables (config.env, config.checks).

Each test reads names of its own: config.env tells about an old name once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env as config_env
from config.checks import environment_check, heartbeat_check
from config.env import EnvironmentWarning, env, env_bool, env_int, env_list, report_retired

ROOT = Path(__file__).resolve().parents[2]


def test_an_old_name_is_still_read_and_warns_naming_the_new_one(monkeypatch):
    monkeypatch.setenv("TEST_OLD_HOST", "smtp.gemeente.nl")

    with pytest.warns(EnvironmentWarning, match="TEST_OLD_HOST is renamed PORTAL_TEST_OLD_HOST"):
        value = env("PORTAL_TEST_OLD_HOST", "localhost", old="TEST_OLD_HOST")

    assert value == "smtp.gemeente.nl"


def test_the_new_name_wins_over_the_old_one_which_is_reported_as_ignored(monkeypatch):
    monkeypatch.setenv("TEST_BOTH_DAYS", "3")
    monkeypatch.setenv("PORTAL_TEST_BOTH_DAYS", "21")

    with pytest.warns(EnvironmentWarning, match="TEST_BOTH_DAYS is ignored: PORTAL_TEST_BOTH"):
        value = env_int("PORTAL_TEST_BOTH_DAYS", 14, old="TEST_BOTH_DAYS")

    assert value == 21


def test_without_either_name_the_default_holds_and_nothing_is_said(monkeypatch, recwarn):
    monkeypatch.delenv("TEST_UNSET_LIST", raising=False)
    monkeypatch.delenv("PORTAL_TEST_UNSET_LIST", raising=False)

    assert env_list("PORTAL_TEST_UNSET_LIST", ["mfa"], old="TEST_UNSET_LIST") == ["mfa"]
    assert not [w for w in recwarn if issubclass(w.category, EnvironmentWarning)]


def test_a_malformed_value_under_the_old_name_is_refused_naming_the_old_name(monkeypatch):
    monkeypatch.setenv("TEST_BAD_TLS", "maybe")

    with (
        pytest.warns(EnvironmentWarning),
        pytest.raises(ImproperlyConfigured, match="TEST_BAD_TLS must be true or false"),
    ):
        env_bool("PORTAL_TEST_BAD_TLS", False, old="TEST_BAD_TLS")


def test_a_required_variable_given_only_under_its_old_name_is_read(monkeypatch):
    monkeypatch.setenv("TEST_REQUIRED_SECRET", "s3cret")

    with pytest.warns(EnvironmentWarning):
        assert env("PORTAL_TEST_REQUIRED_SECRET", old="TEST_REQUIRED_SECRET") == "s3cret"


def test_a_missing_required_variable_is_refused_naming_the_new_name(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_MISSING", raising=False)
    monkeypatch.delenv("TEST_MISSING", raising=False)

    with pytest.raises(ImproperlyConfigured, match="variable PORTAL_TEST_MISSING"):
        env("PORTAL_TEST_MISSING", old="TEST_MISSING")


def test_a_retired_variable_still_set_is_reported_with_where_to_set_it(monkeypatch):
    monkeypatch.setenv("TEST_RETIRED_CHUNK", "99")

    with pytest.warns(EnvironmentWarning, match="TEST_RETIRED_CHUNK is ignored") as told:
        report_retired({"TEST_RETIRED_CHUNK": "RETIRED_CHUNK"})

    assert "set RETIRED_CHUNK in a settings module" in str(told[0].message)


def test_manage_py_check_shows_what_start_up_said(monkeypatch):
    monkeypatch.setenv("TEST_CHECK_OLD", "x")
    monkeypatch.setenv("TEST_CHECK_KNOB", "1")
    monkeypatch.setattr(config_env, "_renamed", {})
    monkeypatch.setattr(config_env, "_retired", {})
    with pytest.warns(EnvironmentWarning):
        env("PORTAL_TEST_CHECK_OLD", "", old="TEST_CHECK_OLD")
        report_retired({"TEST_CHECK_KNOB": "CHECK_KNOB"})

    found = {(w.id, w.msg.split(" is ")[0]) for w in environment_check()}

    assert found == {
        ("portal.W002", "The environment variable TEST_CHECK_OLD"),
        ("portal.W003", "The environment variable TEST_CHECK_KNOB"),
    }


def test_the_default_heartbeats_pass_the_check():
    assert heartbeat_check() == []


@pytest.mark.parametrize(("beat", "stalled"), [(30, 89), (0, 300), (-1, 300)])
def test_stalled_work_recognised_before_three_heartbeats_is_refused(settings, beat, stalled):
    settings.WORK_HEARTBEAT_SECONDS = beat
    settings.WORK_STALLED_AFTER_SECONDS = stalled

    assert [error.id for error in heartbeat_check()] == ["portal.E001"]


# The real settings in a process of their own, with an operator's old environment.


def _start(
    extra_env: dict[str, str], code: str, *, mode: str = "test"
) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PORTAL_", "CAMPAIGN_", "REPORTS_"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": f"config.settings.{mode}", **extra_env})
    return subprocess.run(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_settings_read_an_old_variable_and_say_its_new_name():
    result = _start(
        {"CAMPAIGN_HR_EMAIL": "hr@gemeente.nl"},
        "from django.conf import settings; print(settings.CAMPAIGN_HR_EMAIL)",
    )

    assert result.stdout.strip() == "hr@gemeente.nl", result.stderr
    assert "set PORTAL_CAMPAIGN_HR_EMAIL instead" in result.stderr


def test_the_settings_prefer_the_new_variable_over_the_old_one():
    result = _start(
        {
            "EMAIL_HOST": "old.gemeente.nl",
            "PORTAL_EMAIL_HOST": "smtp.gemeente.nl",
            "DJANGO_SECRET_KEY": "x" * 60,
        },
        "from django.conf import settings; print(settings.MAILERS['default']['OPTIONS']['host'])",
        mode="production",
    )

    assert result.stdout.strip() == "smtp.gemeente.nl", result.stderr
    assert "EMAIL_HOST is ignored: PORTAL_EMAIL_HOST is set" in result.stderr


def test_a_performance_knob_in_the_environment_is_ignored_and_check_says_so():
    result = _start(
        {"REPORTS_PDF_WORKERS": "64", "PORTAL_WORK_HEARTBEAT_SECONDS": "1"},
        "from django.conf import settings; "
        "print(settings.REPORTS_PDF_WORKERS, settings.WORK_HEARTBEAT_SECONDS); "
        "from django.core.management import call_command; call_command('check')",
    )

    assert result.stdout.splitlines()[0] == "0 30", result.stderr
    assert "(portal.W003) The environment variable REPORTS_PDF_WORKERS is ignored" in (
        result.stderr
    )
    assert "set WORK_HEARTBEAT_SECONDS in a settings module" in result.stderr


def test_prepared_statements_can_still_be_switched_off_under_the_old_name():
    result = _start(
        {"DATABASE_URL": "postgres://portal@db.invalid/p", "DATABASE_PREPARED_STATEMENTS": "0"},
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['prepare_threshold'])",
    )

    assert result.stdout.strip() == "None", result.stderr
    assert "set PORTAL_DATABASE_PREPARED_STATEMENTS instead" in result.stderr
