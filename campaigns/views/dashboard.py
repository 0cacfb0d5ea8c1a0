"""HR's dashboards of one campaign: the overview with its figures and chart, the people
(with the overdue list and its CSV) and the log of reminders sent.

Every figure is an aggregate in the database (campaigns.selectors, campaigns.selectors.dashboard):
each page takes the same number of queries whatever the number of employees. Leavers do
not count anywhere (campaigns.selectors.counting).
"""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.views import View
from django.views.generic import ListView, TemplateView

from campaigns import selectors
from campaigns.forms.filters import AssignmentFilterForm, ReminderFilterForm
from campaigns.models import Assignment, Campaign, CampaignEvent, CampaignGuideline, Reminder
from campaigns.selectors import combined, dashboard
from campaigns.selectors import exemptions as exemption_selectors
from campaigns.services import figures
from campaigns.views import chart
from campaigns.views.hr import PAGE_KWARG, CampaignMixin, DashboardAccessMixin
from portal.search import search_words
from portal.spreadsheets import csv_lines, text_cell
from security.services import record_download

Status = Assignment.Status
EVENTS_SHOWN = 10
DEPARTMENTS_PER_PAGE = 50


GUIDELINE_KWARG = "handreiking"


def sort_headers(column: str, descending: bool, guideline: str = "") -> dict[str, dict]:
    """The sortable columns of the department table: label, link and aria-sort (the
    guideline shown, ``?handreiking=``, kept)."""
    headers = {}
    for name, label in dashboard.DEPARTMENT_SORT_LABELS.items():
        sorted_here = name == column
        next_sort = f"-{name}" if sorted_here and not descending else name
        query = {GUIDELINE_KWARG: guideline} if guideline else {}
        headers[name] = {
            "name": name,
            "label": label,
            "sorted": sorted_here,
            "aria_sort": ("descending" if descending else "ascending") if sorted_here else "",
            "url": "?" + urlencode(query | {"sorteer": next_sort}) + "#per-department",
        }
    return headers


def chosen_subject(request, subjects: list[CampaignGuideline]) -> CampaignGuideline | None:
    """The guideline of ``?handreiking=<slug>`` among the campaign's (None: all of them,
    combined); a guideline the campaign does not cover is 404."""
    slug = request.GET.get(GUIDELINE_KWARG, "")
    if not slug:
        return None
    for subject in subjects:
        if subject.guideline.slug == slug:
            return subject
    raise Http404


def guideline_tabs(subjects: list[CampaignGuideline], chosen: CampaignGuideline | None) -> list:
    """The links to all guidelines combined and to each guideline (shown with more than
    one guideline): label, link and whether it is the one shown."""
    if len(subjects) < 2:
        return []
    language = get_language() or "nl"
    tabs = [{"label": gettext("All guidelines"), "url": "?", "current": chosen is None}]
    for subject in subjects:
        tabs.append(
            {
                "label": subject.guideline.title_in(language),
                "url": "?" + urlencode({GUIDELINE_KWARG: subject.guideline.slug}),
                "current": chosen is not None and subject.pk == chosen.pk,
                "slug": subject.guideline.slug,
            }
        )
    return tabs


class CampaignDetailView(DashboardAccessMixin, CampaignMixin, TemplateView):
    """/campagnes/<pk>/: overall figures, per department (sortable), completion over
    time, quiz figures per department (large enough groups only) and the recent log;
    of all the campaign's guidelines combined (an employee counts as signed when every
    guideline asked of them is), or of one (``?handreiking=<slug>``)."""

    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        on = selectors.today()
        column, descending = dashboard.parse_sort(value=self.request.GET.get("sorteer"))
        subjects = dashboard.subjects_of(campaign=campaign)
        chosen = chosen_subject(self.request, subjects)
        guideline = chosen.guideline if chosen else None
        counts = figures.for_dashboard(
            campaign=campaign, on=on, guideline=guideline, scope=self.scope
        )
        language = get_language() or "nl"
        context.update(
            page_title=campaign.name,
            section="detail",
            today=on,
            counts=counts,
            subjects=[
                {"title": subject.guideline.title_in(language), "version": subject.version}
                for subject in subjects
            ],
            guideline_tabs=guideline_tabs(subjects, chosen),
            chosen_guideline=guideline.title_in(language) if guideline else "",
            chosen_slug=guideline.slug if guideline else "",
            combined=guideline is None and len(subjects) > 1,
            headers=sort_headers(column, descending, guideline.slug if guideline else ""),
            min_group_size=dashboard.min_group_size(),
            # Requests for an exemption in this campaign waiting for a second HR person.
            exemptions_waiting=exemption_selectors.waiting_count(
                scope=self.scope, campaign=campaign
            ),
            events=list(
                self.events(campaign)
                .select_related("actor", "assignment__employee")
                .order_by("-at", "-pk")[:EVENTS_SHOWN]
            ),
            **self.audience_context(campaign),
        )
        if counts is None:  # the first figures of a large campaign are being worked out
            context.update(figures={}, departments=[], chart="", quiz=[], figures_pending=True)
            return context
        # The overall figures are the sum of the departments': no second pass over the rows.
        overall = selectors.overall_counts(departments=counts.departments)
        page = Paginator(
            dashboard.sorted_counts(counts=counts.departments, sort=column, descending=descending),
            DEPARTMENTS_PER_PAGE,
        ).get_page(self.request.GET.get(PAGE_KWARG))
        page.object_list = [dashboard.department_row(count=count) for count in page.object_list]
        timeline = dashboard.timeline_from(
            per_day=counts.per_day, campaign=campaign, on=on, in_scope=overall["in_scope"]
        )
        context.update(
            figures=overall,
            # The open statuses that are not overdue, each with its count: with signed,
            # overdue and exempt they add up to the total.
            in_progress=[
                (status, Status(status).label, overall[status]) for status in selectors.IN_PROGRESS
            ],
            departments=page.object_list,
            page_obj=page,
            chart=chart.render(timeline) if overall["total"] else "",
            # The quiz figures of the departments on this page, in the same order.
            quiz=dashboard.quiz_figures_from(rows=counts.quiz, departments=page.object_list)
            if overall["total"]
            else [],
        )
        return context

    def events(self, campaign: Campaign) -> QuerySet[CampaignEvent]:
        """The campaign's log; an HR adviser's: its own events and those about their
        people (not about someone outside their part)."""
        if self.scope.everything:
            return campaign.events.all()
        return campaign.events.filter(
            Q(assignment__isnull=True)
            | self.scope.q(department_field="assignment__employee__department")
        )

    def audience_context(self, campaign: Campaign) -> dict:
        context = {}
        if campaign.audience == Campaign.Audience.DEPARTMENTS:
            context["audience_departments"] = list(campaign.departments.order_by("path"))
        elif campaign.audience == Campaign.Audience.EMPLOYEES:
            context["audience_employee_count"] = campaign.employees.count()
        if campaign.status == Campaign.Status.DRAFT:
            context["audience_count"] = (
                selectors.audience(campaign=campaign)
                .filter(self.scope.q(department_field="department"))
                .count()
            )
        return context


class AssignmentListView(DashboardAccessMixin, CampaignMixin, ListView):
    """/campagnes/<pk>/medewerkers/: everyone in the campaign, a row each, with the
    status of each guideline asked of them and the combined status (signed only when
    every guideline is signed or exempt); ``?status=overdue`` is the overdue list,
    ``?handreiking=<slug>`` one guideline (its status filters), ``?afdeling=<id>`` a
    department (with its sub-departments unless ``subafdelingen=nee``), ``?q=`` a search.

    A fixed number of queries: the campaign's guidelines, the count and the page of
    employees (grouped in the database), and the assignments of the page's people.
    A row is the employee's first assignment (of the guideline chosen, if one is), with
    ``status`` the combined one and ``cells`` the assignment per guideline (None: not
    asked of them)."""

    template_name = "campaigns/assignment_list.html"
    context_object_name = "assignments"
    paginate_by = 25
    page_kwarg = PAGE_KWARG

    def subjects(self) -> list[CampaignGuideline]:
        if not hasattr(self, "_subjects"):
            self._subjects = dashboard.subjects_of(campaign=self.get_campaign())
        return self._subjects

    def filter_form(self) -> AssignmentFilterForm:
        if not hasattr(self, "_filter_form"):
            language = get_language() or "nl"
            self._filter_form = AssignmentFilterForm(
                self.request.GET,
                departments=self.scope.departments(),
                guidelines=[
                    (subject.guideline.slug, subject.guideline.title_in(language))
                    for subject in self.subjects()
                ],
            )
        return self._filter_form

    def chosen_subject(self) -> CampaignGuideline | None:
        slug = self.filter_form().filters["handreiking"]
        return next((s for s in self.subjects() if s.guideline.slug == slug), None)

    def get_queryset(self):
        on = selectors.today()
        filters = self.filter_form().filters
        chosen = self.chosen_subject()
        assignments = dashboard.counted_assignments(
            campaign=self.get_campaign(),
            on=on,
            guideline=chosen.guideline if chosen else None,
            scope=self.scope,
        )
        department = filters["afdeling"]
        if department is not None:
            if filters["subafdelingen"]:
                assignments = assignments.filter(
                    employee__department__path__startswith=department.path
                )
            else:
                assignments = assignments.filter(employee__department=department)
        if self.filter_form().search_refused:
            assignments = assignments.none()
        for term in search_words(filters["q"]):
            assignments = assignments.filter(
                Q(employee__first_name__icontains=term)
                | Q(employee__name_prefix__icontains=term)
                | Q(employee__last_name__icontains=term)
                | Q(employee__email__icontains=term)
                | Q(employee__employee_number__iexact=term)
            )
        people = combined.combined_status(assignments=assignments, on=on).annotate(lead=Min("pk"))
        if filters["status"]:
            people = people.filter(status=filters["status"])
        return people.order_by("employee__last_name", "employee__first_name", "employee_id")

    def rows(self, people: list[dict]) -> list[Assignment]:
        """The page's rows: one query for the assignments of the page's people."""
        on = selectors.today()
        assignments = (
            selectors.with_status(
                assignments=dashboard.counted_assignments(
                    campaign=self.get_campaign(), on=on, scope=self.scope
                ),
                on=on,
            )
            .filter(employee_id__in=[person["employee_id"] for person in people])
            .select_related("employee__department", "employee__manager")
        )
        by_employee: dict[int, dict[int, Assignment]] = {}
        by_pk: dict[int, Assignment] = {}
        for assignment in assignments:
            assignment.status_label = Status(assignment.status).label
            assignment.days_overdue = (
                (on - assignment.due_date).days if assignment.status == Status.OVERDUE else None
            )
            by_employee.setdefault(assignment.employee_id, {})[assignment.guideline_id] = assignment
            by_pk[assignment.pk] = assignment
        rows = []
        for person in people:
            lead = by_pk.get(person["lead"])
            if lead is None:  # pragma: no cover - the page and its rows read apart
                continue
            own = by_employee.get(person["employee_id"], {})
            row = copy.copy(lead)
            row.status = person["status"]
            row.status_label = Status(person["status"]).label
            due = person["open_due_date"]
            row.days_overdue = (on - due).days if row.status == Status.OVERDUE and due else None
            row.cells = [own.get(subject.guideline_id) for subject in self.subjects()]
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.rows(list(context["assignments"]))
        context["object_list"] = context["assignments"]
        filters = self.filter_form().filters
        overdue_list = filters["status"] == Status.OVERDUE
        campaign = self.get_campaign()
        language = get_language() or "nl"
        context.update(
            form=self.filter_form(),
            filters=filters,
            search_refused=self.filter_form().search_refused,
            filtered=any(
                [filters["status"], filters["afdeling"], filters["q"], filters["handreiking"]]
            ),
            overdue_list=overdue_list,
            # More than one guideline: a column per guideline and the combined status.
            guideline_columns=[
                {"title": subject.guideline.title_in(language), "slug": subject.guideline.slug}
                for subject in self.subjects()
            ]
            if len(self.subjects()) > 1
            else [],
            section="overdue" if overdue_list else "people",
            # Exempting is about one person (of the scope): also in a campaign that
            # reaches beyond an HR adviser's part.
            can_exempt=self.manage_scope() is not None,
            page_title=(
                gettext("Overdue in “%(name)s”")
                if overdue_list
                else gettext("People in “%(name)s”")
            )
            % {"name": campaign.name},
            next_url=self.request.get_full_path(),
        )
        return context


class OverdueCsvView(DashboardAccessMixin, CampaignMixin, View):
    """/campagnes/<pk>/te-laat.csv: the overdue list for Excel, streamed from one query:
    a row per overdue assignment, naming its guideline."""

    def get(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        on = selectors.today()
        overdue = (
            selectors.with_status(
                assignments=dashboard.counted_assignments(
                    campaign=campaign, on=on, scope=self.scope
                ),
                on=on,
            )
            .filter(status=Status.OVERDUE)
            .select_related("employee__department", "employee__manager", "guideline")
            .order_by(
                "employee__department__name", "employee__last_name", "employee__first_name", "pk"
            )
        )
        language = get_language() or "nl"
        # Texts now, while the user's language is active (the body is written later).
        header = [
            gettext("Employee number"),
            gettext("Name"),
            gettext("E-mail address"),
            gettext("Department"),
            gettext("Manager"),
            gettext("Due date"),
            gettext("Days overdue"),
            gettext("Status"),
            gettext("Guideline"),
        ]
        status = str(Status.OVERDUE.label)

        def rows():
            for assignment in overdue.iterator(chunk_size=500):
                employee = assignment.employee
                yield [
                    text_cell(employee.employee_number),
                    text_cell(employee.full_name),
                    text_cell(employee.email),
                    text_cell(employee.department.name if employee.department else ""),
                    text_cell(employee.manager.full_name if employee.manager else ""),
                    assignment.due_date.isoformat(),
                    (on - assignment.due_date).days,
                    status,
                    text_cell(assignment.guideline.title_in(language)),
                ]

        response = StreamingHttpResponse(
            csv_lines(header, rows()), content_type="text/csv; charset=utf-8"
        )
        name = slugify(campaign.name) or "campagne"
        filename = f"te-laat-{name}-{on.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return record_download(request=request, response=response, what="overdue_list")


class ReminderLogView(DashboardAccessMixin, CampaignMixin, ListView):
    """/campagnes/<pk>/herinneringen/: every reminder and escalation of the campaign,
    newest first, with its delivery; failed ones can be tried again."""

    template_name = "campaigns/reminder_log.html"
    context_object_name = "reminders"
    paginate_by = 25
    page_kwarg = PAGE_KWARG

    def filter_form(self) -> ReminderFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = ReminderFilterForm(self.request.GET)
        return self._filter_form

    def campaign_reminders(self):
        return Reminder.objects.filter(assignment__campaign=self.get_campaign()).filter(
            self.scope.q(department_field="assignment__employee__department")
        )

    def get_queryset(self):
        reminders = self.campaign_reminders().select_related("assignment__employee", "requested_by")
        status = self.filter_form().status_filter
        if status:
            reminders = reminders.filter(status=status)
        return reminders.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for reminder in context["reminders"]:
            reminder.step_label = dashboard.step_label(reminder=reminder)
        per_status = dict(
            self.campaign_reminders()
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        context.update(
            form=self.filter_form(),
            status_filter=self.filter_form().status_filter,
            status_counts=[
                {"status": value, "label": label, "count": per_status.get(value, 0)}
                for value, label in Reminder.Status.choices
            ],
            failed_count=per_status.get(Reminder.Status.FAILED, 0),
            section="reminders",
            page_title=gettext("Reminders of “%(name)s”") % {"name": self.get_campaign().name},
            next_url=self.request.get_full_path(),
        )
        return context
