"""Recording on behalf of an employee who signed on paper, and serving the scanned form.

/grootboek/namens/ is for HR (anyone; an HR adviser anyone in their part of the
organisation) and managers (their own team). When there are
several guidelines, the first step chooses one (``?guideline=<short name>``). Then two
steps: the form, then a confirmation; only the confirmation writes, through
acknowledgements.services.record_on_behalf. An uploaded scan waits between the two
steps in storage under ledger/pending/, known to the session only.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from acknowledgements import services
from acknowledgements.forms.on_behalf import (
    GuidelineChoiceForm,
    OnBehalfForm,
    signable_guidelines,
)
from acknowledgements.models import Acknowledgement
from acknowledgements.selectors import acknowledgement_of
from acknowledgements.services.retention import PENDING_UPLOADS_DIR
from handbook.selectors import current_version
from people.roles import Role
from people.selectors import Scope, has_role, scope_of, team_of
from portal.viewhelpers import portal_language
from security.services import record_download

PENDING_DIR = f"{PENDING_UPLOADS_DIR}/"
PENDING_SESSION_KEY = "on_behalf_pending_form"
GUIDELINE_PARAMETER = "guideline"
LEDGER_PERMISSION = "acknowledgements.view_ledger"


def _recording_scope(user) -> Scope | None:
    """Where the user records for anyone by employee number: everywhere (HR), in their
    part (an HR adviser), or nowhere (None: a manager chooses from their team)."""
    return scope_of(user=user, perm=services.MANAGE_PERMISSION)


def _may_record_for_anyone(user) -> bool:
    return _recording_scope(user) is not None


def records_url(user, employee, acknowledgement=None) -> str:
    """Where the user sees the employee's record: the ledger filtered on them (HR,
    auditors), for a manager their team page filtered on them, else (an HR adviser,
    who has no ledger) the record's receipt."""
    code = acknowledgement.entry.verification_code if acknowledgement is not None else ""
    if user.has_perm(LEDGER_PERMISSION):
        query = code or employee.employee_number or employee.email
        return f"{reverse('ledger:overview')}?{urlencode({'q': query})}"
    if code and not has_role(user=user, role=Role.MANAGER):
        return reverse("acknowledgements:receipt", kwargs={"code": code})
    return f"{reverse('campaigns_team:team')}?{urlencode({'q': employee.employee_number or ''})}"


class OnBehalfView(LoginRequiredMixin, TemplateView):
    """GET: the form. POST: check it and ask for confirmation; POST with ``confirm``:
    record the acknowledgement and go to the ledger."""

    template_name = "acknowledgements/hr/on_behalf.html"
    choice_template_name = "acknowledgements/hr/on_behalf_guideline.html"
    confirm_template_name = "acknowledgements/hr/on_behalf_confirm.html"
    signed_template_name = "acknowledgements/hr/on_behalf_signed.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (_may_record_for_anyone(user) or has_role(user=user, role=Role.MANAGER)):
            raise PermissionDenied(gettext("You may not record acknowledgements."))
        self.guidelines = list(signable_guidelines())
        if not self.guidelines:
            raise Http404(gettext("There is no guideline yet."))
        slug = request.POST.get(GUIDELINE_PARAMETER) or request.GET.get(GUIDELINE_PARAMETER)
        if slug:
            chosen = [g for g in self.guidelines if g.slug == slug]
            if not chosen:
                raise Http404(gettext("There is no guideline with this name."))
            self.guideline = chosen[0]
        elif len(self.guidelines) == 1:
            self.guideline = self.guidelines[0]
        else:  # several: which one was signed comes first
            return self._choose_guideline(request)
        self.current = current_version(guideline=self.guideline)
        return super().dispatch(request, *args, **kwargs)

    def _choose_guideline(self, request):
        form = GuidelineChoiceForm(guidelines=signable_guidelines(), language=portal_language())
        context = {
            "page_title": _("Record an acknowledgement on behalf of an employee"),
            "choice_form": form,
            "for_team": not _may_record_for_anyone(request.user),
        }
        status = 400 if request.method == "POST" else 200
        return render(request, self.choice_template_name, context, status=status)

    def get_form(self, data=None, files=None, **kwargs) -> OnBehalfForm:
        user = self.request.user
        within = _recording_scope(user)
        team = None if within is not None else team_of(manager=user)
        return OnBehalfForm(
            data,
            files,
            guideline=self.guideline,
            current=self.current,
            team=team,
            within=within,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("Record an acknowledgement on behalf of an employee")
        context["current"] = self.current
        context["guideline"] = self.guideline
        context["guideline_title"] = self.guideline.title_in(portal_language())
        context["several_guidelines"] = len(self.guidelines) > 1
        context["for_team"] = not _may_record_for_anyone(self.request.user)
        context.setdefault("pending", None)
        return context

    def get(self, request, *args, **kwargs):
        self._discard_pending()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        pending = self._pending(request.POST.get("pending", ""))
        if "change" in request.POST:
            form = self.get_form(initial=_initial_from(form, request.POST))
            return self._form_page(form, pending)
        if not form.is_valid():
            return self._form_page(form, pending, status=400)
        employee = form.chosen_employee
        version = form.cleaned_data["version"]
        if not services.may_record_for(recorder=request.user, employee=employee):
            raise PermissionDenied(
                gettext("You may not record acknowledgements for this employee.")
            )
        existing = acknowledgement_of(employee=employee, version=version)
        if existing is not None:
            return self._already_signed(employee, existing)
        upload = form.cleaned_data.get("paper_form")
        if upload:
            pending = self._stash(upload)
        elif request.POST.get("pending") and pending is None:
            lost = gettext(
                "The uploaded scan is no longer available (the session ended). Upload it again."
            )
            return self._form_page(
                form, None, status=400, extra_errors=[{"message": lost, "target": "id_paper_form"}]
            )
        if "confirm" not in request.POST or upload:
            return self._confirm_page(form, employee, version, pending)
        return self._record(form, employee, version, pending)

    def _form_page(self, form, pending, *, status=200, extra_errors=None):
        context = self.get_context_data(form=form, pending=pending)
        if form.is_bound or extra_errors:
            context["error_summary"] = form.error_summary() + (extra_errors or [])
        return self.render_to_response(context, status=status)

    def _confirm_page(self, form, employee, version, pending):
        context = self.get_context_data(
            form=form,
            employee=employee,
            version=version,
            signed_on=form.cleaned_data["signed_on"],
            reason=form.cleaned_data["reason"],
            pending=pending,
        )
        return self.response_class(
            request=self.request,
            template=[self.confirm_template_name],
            context=context,
            using=self.template_engine,
        )

    def _already_signed(self, employee, existing):
        self._discard_pending()
        context = self.get_context_data(
            employee=employee,
            record=existing,
            record_url=records_url(self.request.user, employee, existing),
        )
        context["page_title"] = _("Nothing to record")
        return self.response_class(
            request=self.request,
            template=[self.signed_template_name],
            context=context,
            using=self.template_engine,
        )

    def _record(self, form, employee, version, pending):
        stored = None
        try:
            if pending is not None:
                stored = default_storage.open(pending["path"], "rb")
                if _hash_of(stored) != pending["hash"]:
                    raise ValidationError(
                        gettext("The uploaded form has changed. Upload it again.")
                    )
                stored = File(stored, name=pending["name"])
            record = services.record_on_behalf(
                employee=employee,
                version=version,
                recorded_by=self.request.user,
                reason=form.cleaned_data["reason"],
                signed_at=form.signed_at(),
                paper_form=stored,
            )
        except ValidationError as error:
            errors = [{"message": str(m), "target": "on-behalf-form"} for m in error.messages]
            return self._form_page(form, pending, status=400, extra_errors=errors)
        finally:
            if stored is not None:
                stored.close()
        self._discard_pending()
        if record.method != Acknowledgement.Method.ON_BEHALF or record.recorded_by_id != (
            self.request.user.pk
        ):
            # Someone else recorded it in the meantime: nothing new was written.
            return self._already_signed(employee, record)
        messages.success(
            self.request,
            gettext(
                "The acknowledgement of version %(number)s of “%(title)s” by %(name)s has "
                "been recorded as entry %(sequence)s."
            )
            % {
                "number": version.number,
                "title": self.guideline.title_in(portal_language()),
                "name": employee.full_name,
                "sequence": record.entry.sequence,
            },
        )
        return redirect(records_url(self.request.user, employee, record))

    # The scan waiting between the form and the confirmation.

    def _pending(self, token: str) -> dict | None:
        pending = self.request.session.get(PENDING_SESSION_KEY)
        if pending and token and secrets.compare_digest(pending["token"], token):
            return pending
        return None

    def _stash(self, upload) -> dict:
        self._discard_pending()
        token = secrets.token_urlsafe(24)
        extension = os.path.splitext(upload.name)[1].lower()
        name = os.path.basename(upload.name)[:100] or f"formulier{extension}"
        path = default_storage.save(f"{PENDING_DIR}{token}{extension}", File(upload))
        upload.seek(0)
        pending = {"token": token, "path": path, "name": name, "hash": _hash_of(upload)}
        self.request.session[PENDING_SESSION_KEY] = pending
        return pending

    def _discard_pending(self) -> None:
        pending = self.request.session.pop(PENDING_SESSION_KEY, None)
        if pending:
            default_storage.delete(pending["path"])


def _hash_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _initial_from(form, data) -> dict:
    return {name: data.get(form.add_prefix(name)) for name in form.fields if name != "paper_form"}


class PaperFormView(LoginRequiredMixin, View):
    """/grootboek/<sequence>/formulier/: the scanned form of a record, from storage; for
    whoever may see every record, or (an HR adviser) the records of their part."""

    permission = "acknowledgements.view_acknowledgement"
    http_method_names = ["get"]

    def get(self, request, sequence: int):
        within = scope_of(user=request.user, perm=self.permission)
        if within is None:
            raise PermissionDenied
        record = (
            Acknowledgement.objects.filter(entry__sequence=sequence)
            .select_related("employee__department")
            .first()
        )
        if record is None or not record.paper_form:
            raise Http404(gettext("This record has no scanned form."))
        if not within.covers_employee(employee=record.employee):
            raise Http404(gettext("This record has no scanned form."))
        storage = record.paper_form.storage
        name = record.paper_form.name
        if not storage.exists(name):
            raise Http404(gettext("This record has no scanned form."))
        response = FileResponse(
            storage.open(name, "rb"), as_attachment=True, filename=os.path.basename(name)
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return record_download(
            request=request, response=response, what="paper_form", subject=record.employee
        )
