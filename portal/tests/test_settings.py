import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_READ = re.compile(r"env(?:_bool|_int|_list)?\(\s*\"([A-Z_]+)\"")
OLD_NAME = re.compile(r"\bold=\"([A-Z_]+)\"")
# env("NEW", ..., old="OLD") -> (NEW, OLD), the arguments between not reaching another call.
RENAMED = re.compile(
    r"env(?:_bool|_int|_list)?\(\s*\"([A-Z_]+)\",(?:(?!env(?:_bool|_int|_list)?\().)*?"
    r"\bold=\"([A-Z_]+)\"",
    re.DOTALL,
)
# Read by Django itself (manage.py, config/wsgi.py), not by config.env.
READ_BY_DJANGO = {"DJANGO_SETTINGS_MODULE"}


def _settings_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "config" / "settings").glob("*.py")
    )


def _variables_read_by_settings() -> set[str]:
    return set(ENV_READ.findall(_settings_sources())) | READ_BY_DJANGO


def _variables_in_env_example() -> list[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return [m.group(1) for line in lines if (m := re.match(r"#?([A-Z][A-Z0-9_]*)=", line))]


def _readme_table(header: str) -> str:
    """The rows of the README table whose first column is headed `header`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index(f"| {header} |") :]
    return table[: table.index("\n\n")]


def _names_in_first_column(table: str) -> set[str]:
    rows = table.splitlines()[2:]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_every_environment_variable_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(n for n in _variables_read_by_settings() if f"`{n}`" not in readme)
    assert undocumented == []


def test_the_readme_configuration_table_lists_exactly_the_variables_read():
    assert _names_in_first_column(_readme_table("Variable")) == _variables_read_by_settings()


def test_env_example_lists_exactly_the_variables_read_each_once():
    listed = _variables_in_env_example()

    assert sorted(listed) == sorted(_variables_read_by_settings())


def test_every_variable_in_env_example_has_a_comment_line_above_it():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    uncommented = [
        line
        for before, line in zip(lines, lines[1:], strict=False)
        if re.match(r"#?[A-Z][A-Z0-9_]*=", line) and not before.startswith("# ")
    ]
    assert uncommented == []


def test_every_variable_read_is_named_portal_django_or_database_url():
    strays = sorted(
        name
        for name in _variables_read_by_settings()
        if not name.startswith(("PORTAL_", "DJANGO_")) and name != "DATABASE_URL"
    )
    assert strays == []


def test_every_old_name_still_read_belongs_to_a_documented_portal_variable():
    sources = _settings_sources()
    renamed = dict(RENAMED.findall(sources))
    assert set(OLD_NAME.findall(sources)) == set(renamed.values())
    assert all(new == f"PORTAL_{old}" for new, old in renamed.items()), renamed
    assert not set(renamed.values()) & set(_variables_in_env_example())


def test_performance_settings_are_documented_and_not_read_from_the_environment():
    base = _settings_sources()
    settings = _names_in_first_column(_readme_table("Setting"))

    assert len(settings) >= 12
    for name in settings:
        assert re.search(rf"^{name} = [0-9]", base, re.MULTILINE), name
        assert name not in _variables_read_by_settings()


def _production_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_check({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_has_debug_off_by_default():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 60,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_a_malformed_boolean_setting_is_refused():
    result = _production_check({"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr
