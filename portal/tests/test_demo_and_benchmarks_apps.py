"""The demo (known passwords, printed two-factor secrets) and the benchmarks are never
installed in production: each settings module is loaded in a fresh process, as the
server would, and its apps and management commands read there."""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_APPS_AND_COMMANDS = """
import json
import django
django.setup()
from django.apps import apps
from django.core.management import get_commands
print(json.dumps({
    "apps": [config.name for config in apps.get_app_configs()],
    "commands": sorted(get_commands()),
}))
"""

DEMO_COMMANDS = {"seed_demo", "demo_totp"}
BENCHMARK_COMMANDS = {"generate_scale_data", "run_benchmarks", "benchmark_reports"}


@functools.cache
def _installed(settings_module: str) -> dict[str, list[str]]:
    """The apps and management commands of a settings module, loaded in its own process
    with only what an operator would set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="portal.voorbeeldstad.nl",
        DATABASE_URL="sqlite://:memory:",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", _APPS_AND_COMMANDS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_installs_neither_the_demo_nor_the_benchmarks():
    apps = _installed("config.settings.production")["apps"]

    assert "people" in apps  # the settings did load
    assert "demo" not in apps
    assert "benchmarks" not in apps


def test_production_has_no_command_that_seeds_the_demo_or_runs_a_benchmark():
    commands = set(_installed("config.settings.production")["commands"])

    assert "load_handbook" in commands  # the portal's own commands are there
    assert commands.isdisjoint(DEMO_COMMANDS | BENCHMARK_COMMANDS)


def test_development_has_the_demo_for_make_run_but_not_the_benchmarks():
    commands = set(_installed("config.settings.dev")["commands"])

    assert commands >= DEMO_COMMANDS
    assert commands.isdisjoint(BENCHMARK_COMMANDS)


def test_the_benchmark_settings_have_the_benchmarks_but_not_the_demo():
    commands = set(_installed("config.settings.benchmark")["commands"])

    assert commands >= BENCHMARK_COMMANDS
    assert commands.isdisjoint(DEMO_COMMANDS)


def test_the_test_settings_have_both_so_that_their_tests_run():
    from django.conf import settings

    assert {"demo", "benchmarks"} <= set(settings.INSTALLED_APPS)
