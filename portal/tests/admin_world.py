"""The admin site's pages and an object behind each, for the admin's tests.

``build_admin_world()`` makes at least one object of every model the admin shows, the
way the portal makes them (a signed version with its quiz, a draft with tips, a
launched campaign with planned reminders, a report, a role on one department);
``admin_pages(user)`` lists every admin page that person may open: the index, each
app's index and, per registered ModelAdmin, the list, the add page, the change (or
view) page of one object, its history and its delete confirmation, as far as the
ModelAdmin's permissions allow. Used by portal/tests/test_admin_in_dutch.py and the
browser journeys in e2e/test_admin_journeys.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class AdminPage:
    name: str
    url: str


def build_admin_world() -> dict[str, object]:
    from allauth.account.models import EmailAddress

    from acknowledgements.models import LedgerCheck, Notification
    from acknowledgements.tests.factories import signed
    from campaigns.services.reminders import plan_reminders
    from campaigns.tests.factories import launched_campaign
    from handbook.models import GuidelineVersion
    from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory
    from people.models import Department
    from people.roles import Role
    from people.services.object_roles import grant_object_role
    from people.tests.factories import DepartmentFactory, EmployeeFactory
    from quizzes.models import QuizEvent, QuizSettings
    from reports.models import Report
    from reports.services import request_report

    team = DepartmentFactory(code="TEAM-DIG", name="Team Digitalisering", kind=Department.Kind.TEAM)
    jan = EmployeeFactory(
        first_name="Jan", last_name="Jansen", email="jan.jansen@voorbeeldstad.nl", department=team
    )
    hr = EmployeeFactory(
        first_name="Hanna", last_name="de Haan", email="hanna.dehaan@voorbeeldstad.nl", hr=True
    )
    version = signed(jan).version
    draft = GuidelineVersionFactory(
        guideline=version.guideline, number=2, status=GuidelineVersion.Status.DRAFT
    )
    for number in (1, 2):
        draft.tips.create(
            number=number, text=f"Concepttip {number}.", text_en=f"Draft tip {number}."
        )
    GuidelineFactory(title="Informatiebeveiliging", slug="informatiebeveiliging")
    campaign = launched_campaign(version, by=hr, name="Jaarronde 2026")
    plan_reminders(now=timezone.now() + datetime.timedelta(days=27))
    grant_object_role(actor=None, employee=hr, role=Role.HR, target=team)
    request_report(campaign=campaign, format=Report.Format.CSV, by=None, enqueue=False)
    QuizSettings.objects.get_or_create(version=version)
    QuizEvent.objects.create(version=version, kind=QuizEvent.Kind.SETTINGS_CHANGED, actor=hr)
    Notification.objects.create(
        employee=jan,
        version=version,
        kind=Notification.Kind.REACKNOWLEDGEMENT,
        sent_at=timezone.now(),
    )
    LedgerCheck.objects.create(requested_by=hr, requested_at=timezone.now())
    EmailAddress.objects.create(user=jan, email=jan.email, verified=True, primary=True)
    return {"employee": jan, "hr": hr, "draft": draft, "department": team}


def add_social_account(employee) -> None:
    """A single sign-on app with an account and a token. Made after a browser log-in:
    an app changes the log-in page."""
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="intranet",
        name="Intranet",
        client_id="portal",
        settings={"server_url": "https://login.voorbeeldstad.nl"},
    )
    account = SocialAccount.objects.create(user=employee, provider="intranet", uid="jan")
    SocialToken.objects.create(app=app, account=account, token="t")


def admin_pages(user) -> list[AdminPage]:
    """The admin pages ``user`` may open, as the admin's own index lists them. A model
    without any object yet (the task queue's results in tests, which run tasks at once)
    gets its list and add page."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    pages = [AdminPage("index", reverse("admin:index"))]
    for app in admin.site.get_app_list(request):
        pages.append(AdminPage(f"{app['app_label']} index", app["app_url"]))
        for entry in app["models"]:
            model = entry["model"]
            model_admin = admin.site.get_model_admin(model)
            label = model._meta.label
            if entry["admin_url"]:
                pages.append(AdminPage(f"{label} list", entry["admin_url"]))
            if entry["add_url"]:
                pages.append(AdminPage(f"{label} add", entry["add_url"]))
            obj = model_admin.get_queryset(request).order_by("pk").last()
            if obj is None or not model_admin.has_view_or_change_permission(request, obj):
                continue
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pk = [obj.pk]
            pages.append(AdminPage(f"{label} change", reverse(f"{prefix}_change", args=pk)))
            pages.append(AdminPage(f"{label} history", reverse(f"{prefix}_history", args=pk)))
            if model_admin.has_delete_permission(request, obj):
                pages.append(AdminPage(f"{label} delete", reverse(f"{prefix}_delete", args=pk)))
    return pages
