"""The admin site (/beheer/) in Dutch: no English left for the portal's own models.

Every admin page a superuser may open (portal/tests/admin_world.py: every registered
ModelAdmin's list, add, change, history and delete pages, the index and app indexes) is
asked for in Dutch, and every message looked up while it is made must have a Dutch
translation (portal.testing.translations). Names that never pass through gettext
(a verbose name left to Django, a plain string as a column's title) are not looked up,
so the portal's ModelAdmins and models are read too: each name they show is a lazy
translation. The date widgets' "Today"/"Now" come from the admin's JavaScript catalog,
which must be Dutch for every message of the admin's scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real
from django.views.i18n import JavaScriptCatalog

from people.tests.factories import EmployeeFactory, login_with_second_factor
from portal.testing.translations import english_dates, page_text, untranslated_messages
from portal.tests.admin_world import admin_pages, build_admin_world

PORTAL_APPS = {
    "people",
    "handbook",
    "quizzes",
    "acknowledgements",
    "campaigns",
    "reports",
    "security",
}


@pytest.fixture
def superuser_client(client, db):
    build_admin_world()
    superuser = EmployeeFactory(
        email="super@voorbeeldstad.nl", administrator=True, is_superuser=True, totp=True
    )
    login_with_second_factor(client, superuser)
    client.superuser = superuser
    return client


def test_every_admin_page_is_dutch_without_an_untranslated_message(superuser_client):
    pages = admin_pages(superuser_client.superuser)
    problems = []

    with untranslated_messages("nl") as missing:
        for page in pages:
            missing.where = page.name
            response = superuser_client.get(page.url)
            if response.status_code != 200:
                problems.append(f"{page.name}: HTTP {response.status_code}")
                continue
            html = response.content.decode()
            if 'lang="nl"' not in html:
                problems.append(f"{page.name}: not lang=nl")
            if found := english_dates(page_text(html)):
                problems.append(f"{page.name}: English dates {found}")

    assert len(pages) > 100
    assert not missing, missing.report()
    assert not problems, problems


# --------------------------------------------------------------------------- names in code


def _portal_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PORTAL_APPS:
            yield model, model_admin


def _not_translated(value) -> bool:
    return not isinstance(value, Promise)


def _optional(value) -> object:
    """A help text or a column's title may be missing; when there, it is translated."""
    return value if value else _("(none)")


def _names_of(model, model_admin, request) -> dict[str, object]:
    """Every name the admin shows for the model, by where it comes from."""
    # Django makes a missing plural by adding "s" to the English (a lazy "afdelings").
    names: dict[str, object] = {
        f"{model.__name__}.verbose_name": model._meta.original_attrs.get("verbose_name"),
        f"{model.__name__}.verbose_name_plural": model._meta.original_attrs.get(
            "verbose_name_plural"
        ),
    }
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field) or field.auto_created or _generic(field):
            continue
        where = f"{model.__name__}.{field.name}"
        names[f"{where} verbose_name"] = field._verbose_name
        names[f"{where} help_text"] = _optional(field.help_text)
        for value, label in field.flatchoices or ():
            names[f"{where} choice {value!r}"] = label
    for title, _options in model_admin.get_fieldsets(request) if model_admin.fieldsets else ():
        names[f"{type(model_admin).__name__} fieldset {title!r}"] = _optional(title)
    for item in model_admin.list_display:
        column = f"{type(model_admin).__name__}.{item} column"
        if item in ("__str__", "pk"):  # headed by the model's verbose name, or "ID"
            continue
        if callable(item) or hasattr(model_admin, str(item)):
            function = item if callable(item) else getattr(model_admin, item)
            names[column] = getattr(function, "short_description", None)
        else:
            names[column] = model._meta.get_field(item).verbose_name
    for name, action in model_admin.get_actions(request).items():
        names[f"{type(model_admin).__name__} action {name}"] = action.description
    for form_field_name, form_field in _form_fields(model_admin).items():
        names[f"{type(model_admin).__name__} form {form_field_name} label"] = form_field.label
    return names


def _generic(field) -> bool:
    """A generic relation or foreign key: not a form field, and without a verbose name
    of its own (checked above when it is a column of the list)."""
    from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation

    return isinstance(field, GenericForeignKey | GenericRelation)


def _form_fields(model_admin) -> dict[str, object]:
    """The admin form's own fields (declared on the form class, not from the model)."""
    form = model_admin.form
    return dict(getattr(form, "declared_fields", {}))


def test_the_portals_models_and_admins_name_everything_through_gettext(rf, db):
    request = rf.get(reverse("admin:index"))
    request.user = EmployeeFactory(administrator=True, is_superuser=True)
    untranslated = {}
    for model, model_admin in _portal_admins():
        for where, value in _names_of(model, model_admin, request).items():
            if _not_translated(value):
                untranslated[where] = value

    assert not untranslated, untranslated


# --------------------------------------------------------------------------- the scripts


def _msgids(po: Path) -> set[str]:
    """The messages of a .po file as a catalog keys them ("context\x04msgid" with a
    context), the header's empty one left out."""
    strings = r'"((?:[^"\\]|\\.)*)"'
    found = set()
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, list[str]] = {}
        key = None
        for line in entry.splitlines():
            if line.startswith(("msgctxt ", "msgid ")):
                key = line.split(" ", 1)[0]
                parts[key] = re.findall(strings, line)
            elif line.startswith('"') and key:
                parts[key] += re.findall(strings, line)
            else:
                key = None
        message = "".join(parts.get("msgid", []))
        if message:
            context = "".join(parts.get("msgctxt", []))
            found.add(f"{context}\x04{message}" if "msgctxt" in parts else message)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return {re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), m) for m in found}


def test_the_admins_script_catalog_has_dutch_for_every_message_of_the_admins_scripts():
    admin_po = (
        Path(django.contrib.admin.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "djangojs.po"
    )
    paths = JavaScriptCatalog().get_paths(["django.contrib.admin"])
    catalog = trans_real.DjangoTranslation("nl", domain="djangojs", localedirs=paths)._catalog

    missing = sorted(
        message
        for message in _msgids(admin_po)
        if message not in catalog and (message, 0) not in catalog
    )

    assert not missing, missing


def test_the_dutch_admin_names_the_today_link_in_dutch(superuser_client):
    response = superuser_client.get(reverse("admin:jsi18n"))

    script = response.content.decode()
    assert '"Vandaag (%(date)s)"' in script
    assert '"Vandaag"' in script and '"Nu"' in script
