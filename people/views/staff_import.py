"""HR's staff import pages (/medewerkers/importeren/): upload the HR system's export, see
what it would change (a dry run, logged), apply exactly that file, see the result and
the log of past imports.

Thin views: people.services.import_staff checks, writes and logs. Every page needs
``people.import_staff`` (HR and administrators); others get 403, anonymous visitors
the log-in page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from people import services, staff_import
from people.forms import (
    ConfirmStaffImportForm,
    StaffImportForm,
    sign_upload,
    unsign_upload,
)
from people.models import Invitation, StaffImport
from people.staff_import import uploads
from people.staff_import.privileged import why_left_alone

PERMISSION = services.IMPORT_PERMISSION
RECENT_IMPORTS = 5


class StaffImportAccessMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = PERMISSION


def line_message(line: int | None, reason: str) -> str:
    """A problem of the file as the error summary shows it: "Line 4: ..." (or the reason)."""
    if line is None:
        return reason
    return gettext("Line %(line)s: %(reason)s") % {"line": line, "reason": reason}


def plan_sections(plan: staff_import.Plan) -> list[dict]:
    """The preview's lists: per kind a label and the people (the unchanged only counted)."""
    labels = kind_labels()
    return [
        {"kind": kind, "label": labels[kind], "entries": entries, "count": len(entries)}
        for kind in staff_import.KINDS
        for entries in [plan.of_kind(kind)]
    ]


def kind_labels() -> dict[str, str]:
    return {
        staff_import.NEW: gettext("New"),
        staff_import.CHANGED: gettext("Changed"),
        staff_import.LEAVING: gettext("Leaving"),
        staff_import.REACTIVATED: gettext("Back again (reactivated)"),
        staff_import.UNCHANGED: gettext("Unchanged"),
    }


class StaffImportView(StaffImportAccessMixin, TemplateView):
    """Step 1: the upload form (and the latest imports). A posted file is checked as a
    dry run and shown (step 2); only a file without problems can then be applied."""

    template_name = "people/staff_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", StaffImportForm())
        context["recent"] = StaffImport.objects.select_related("imported_by")[:RECENT_IMPORTS]
        context["columns"] = [
            (names[0], names[1:], staff_import.field_label(name))
            for name, names in staff_import.COLUMNS.items()
        ]
        return context

    def post(self, request, *args, **kwargs):
        form = StaffImportForm(request.POST, request.FILES)
        if not form.is_valid():
            context = self.get_context_data(form=form, error_summary=form.error_summary())
            return self.render_to_response(context, status=400)
        data = form.cleaned_data["bestand"]
        filename = request.FILES["bestand"].name
        units = form.cleaned_data.get("eenheden")
        units_name = request.FILES["eenheden"].name if units is not None else ""
        full_export = form.cleaned_data["volledig"]
        outcome = services.import_staff(
            data=data,
            filename=filename,
            by=request.user,
            full_export=full_export,
            dry_run=True,
            units=units,
            units_filename=units_name,
        )
        confirm_form = None
        if not outcome.plan.problems and outcome.plan.has_changes:
            sha256 = uploads.store(data)
            confirm_form = ConfirmStaffImportForm(
                initial={
                    "upload": sign_upload(
                        sha256=sha256,
                        filename=filename,
                        full_export=full_export,
                        user_pk=request.user.pk,
                        units_sha256=uploads.store(units) if units is not None else "",
                        units_name=units_name,
                    )
                }
            )
        return preview_response(self, outcome, confirm_form=confirm_form)


def unit_sections(changes) -> list[dict]:
    """The tree's changes per kind, from a plan's TreePlan (the dry run) or from the
    log's JSON (a past run): each unit has code, name, old, new and perhaps a note."""
    if changes is None:
        return []
    if isinstance(changes, staff_import.TreePlan):
        if not changes.complete:
            return []
        by_kind = {kind: changes.of_kind(kind) for kind in staff_import.UNIT_KINDS}
    else:
        by_kind = {kind: changes.get(kind, []) for kind in staff_import.UNIT_KINDS}
    return [
        {
            "kind": kind,
            "label": staff_import.unit_label(kind),
            "units": by_kind[kind],
            "count": len(by_kind[kind]),
        }
        for kind in staff_import.UNIT_KINDS
    ]


def paths_only(changes) -> bool:
    """Whether the units are known by their paths only and some were closed: then the
    page says that a changed path is a new unit and a closed one."""
    if isinstance(changes, staff_import.TreePlan):
        return changes.paths_only and bool(changes.of_kind(staff_import.tree.CLOSED))
    return bool(
        changes
        and changes.get("layout") in ("paths", "lookup")
        and changes.get(staff_import.tree.CLOSED)
    )


def preview_response(view, outcome, *, confirm_form, status=200):
    plan = outcome.plan
    shown = settings.STAFF_IMPORT_MAX_PROBLEMS_SHOWN
    context = {
        "log": outcome.log,
        "plan": plan,
        "counts": plan.counts,
        "sections": plan_sections(plan),
        "problems": plan.problems[:shown],
        "file_errors": [
            {"line": problem.line, "message": line_message(problem.line, problem.message)}
            for problem in plan.problems[:shown]
        ],
        "problem_total": len(plan.problems),
        "more_problems": max(0, len(plan.problems) - shown),
        "confirm_form": confirm_form,
        "view": view,
        "unit_sections": unit_sections(plan.tree),
        "unit_changes": plan.tree is not None and plan.tree.has_changes,
        "paths_only": paths_only(plan.tree),
    }
    return view.response_class(
        request=view.request,
        template=["people/staff_import_preview.html"],
        context=context,
        status=status,
    )


class StaffImportApplyView(StaffImportAccessMixin, TemplateView):
    """Step 2 (POST): apply the previewed file, read back from where the preview stored
    it and checked against its hash."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ConfirmStaffImportForm(request.POST)
        upload = (
            unsign_upload(form.cleaned_data["upload"], user_pk=request.user.pk)
            if form.is_valid()
            else None
        )
        data = uploads.load(upload["sha256"]) if upload else None
        units = uploads.load(upload["units"]) if upload and upload.get("units") else None
        if data is None or (upload.get("units") and units is None):
            messages.error(
                request,
                gettext("The upload has expired or is not valid. Please upload the file again."),
            )
            return redirect("people:staff_import")
        outcome = services.import_staff(
            data=data,
            filename=upload["name"],
            by=request.user,
            full_export=upload["full"],
            units=units,
            units_filename=upload.get("units_name", ""),
        )
        uploads.remove(upload["sha256"])
        if upload.get("units"):
            uploads.remove(upload["units"])
        if not outcome.applied:
            # The portal changed since the preview and the file no longer fits.
            return preview_response(self, outcome, confirm_form=None, status=400)
        messages.success(
            request,
            gettext(
                "The staff file has been imported: %(new)s new, %(changed)s changed, "
                "%(leaving)s leaving, %(reactivated)s back again, %(unchanged)s unchanged."
            )
            % outcome.plan.counts,
        )
        return redirect(reverse("people:staff_import_detail", args=[outcome.log.pk]))


class StaffImportLogView(StaffImportAccessMixin, ListView):
    """Every import run, newest first: who, when, which file, what it did."""

    template_name = "people/staff_import_log.html"
    context_object_name = "imports"
    paginate_by = 25
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Staff imports")}

    def get_queryset(self):
        return StaffImport.objects.select_related("imported_by").defer("problems", "changes")


def invitation_counts(log: StaffImport) -> dict[str, int] | None:
    """How the import's welcome invitations stand (None: it sent none)."""
    by_status = dict(log.invitations.values_list("status").annotate(count=Count("pk")).order_by())
    if not by_status:
        return None
    status = Invitation.Status
    return {
        "sent": by_status.get(status.SENT, 0),
        "waiting": by_status.get(status.QUEUED, 0) + by_status.get(status.SENDING, 0),
        "failed": by_status.get(status.FAILED, 0),
    }


class StaffImportDetailView(StaffImportAccessMixin, DetailView):
    """One run: the result after applying, or a past dry run or refusal."""

    template_name = "people/staff_import_detail.html"
    context_object_name = "log"
    model = StaffImport

    def get_queryset(self):
        return StaffImport.objects.select_related("imported_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = kind_labels()
        log = self.object
        context["sections"] = [
            {
                "kind": kind,
                "label": labels[kind],
                "entries": [
                    {
                        **entry,
                        "field_labels": [staff_import.field_label(f) for f in entry["fields"]],
                    }
                    for entry in log.changes.get(kind, [])
                ],
            }
            for kind in staff_import.KINDS
            if kind != staff_import.UNCHANGED
        ]
        units = log.changes.get(services.UNITS)
        context["unit_sections"] = unit_sections(units)
        context["unit_changes"] = any(section["units"] for section in context["unit_sections"])
        context["paths_only"] = paths_only(units)
        context["more_problems"] = max(0, log.problem_count - len(log.problems))
        context["invitations"] = invitation_counts(log)
        context["left_alone"] = [
            {
                **entry,
                "field_labels": [staff_import.field_label(f) for f in entry["fields"]],
                "why": why_left_alone(entry.get("privileged", [])),
            }
            for entry in log.changes.get(services.LEFT_ALONE, [])
        ]
        return context
