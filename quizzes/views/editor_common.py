"""What the editors' quiz pages share: the version they work on, permissions, errors."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from handbook.models import GuidelineVersion
from handbook.selectors import (
    current_version,
    default_guideline,
    open_draft,
    version_label,
    visible_versions,
)

logger = logging.getLogger(__name__)

VERSION_PARAMETER = "versie"
BANK_PAGE_SIZE = 25
SITUATION_PREVIEW_CHARS = 90


class GuidelineMixin:
    """Finds the default guideline; without one, shows the handbook's page that says
    what to do. As the handbook's own mixin, which quizzes may not import (views)."""

    guideline = None

    def dispatch(self, request, *args, **kwargs):
        self.guideline = default_guideline()
        if self.guideline is None:
            return render(request, "handbook/empty.html", {"reason": "no_guideline"})
        return super().dispatch(request, *args, **kwargs)


class QuizEditorMixin(LoginRequiredMixin, PermissionRequiredMixin, GuidelineMixin):
    """Logged in with the permission (others get 403; anonymous visitors the log-in page),
    the default guideline, and the version the page is about (``?versie=N``)."""

    permission_required = "quizzes.manage_question_bank"

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        return redirect_to_login(
            self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
        )

    def versions(self) -> list[GuidelineVersion]:
        if not hasattr(self, "_versions"):
            self._versions = list(
                visible_versions(guideline=self.guideline, user=self.request.user)
            )
        return self._versions

    def current(self) -> GuidelineVersion | None:
        if not hasattr(self, "_current"):
            self._current = current_version(guideline=self.guideline)
        return self._current

    def default_version(self) -> GuidelineVersion | None:
        """The version in force, else the open draft, else the newest one."""
        return (
            self.current()
            or (
                open_draft(guideline=self.guideline)
                if self.request.user.has_perm("handbook.view_draft_guidelineversion")
                else None
            )
            or next(iter(self.versions()), None)
        )

    def get_version(self) -> GuidelineVersion | None:
        if hasattr(self, "_version"):
            return self._version
        requested = self.request.GET.get(VERSION_PARAMETER) or self.request.POST.get(
            VERSION_PARAMETER
        )
        if requested:
            try:
                number = int(requested)
            except ValueError:
                raise Http404(gettext("There is no version with this number.")) from None
            version = next((v for v in self.versions() if v.number == number), None)
            if version is None:
                raise Http404(gettext("There is no version with this number."))
        else:
            version = self.default_version()
        self._version = version
        return version

    def version_url(self, name: str, version: GuidelineVersion | None = None, **query) -> str:
        version = version or self.get_version()
        url = reverse(f"quiz_editor:{name}")
        params = {VERSION_PARAMETER: version.number} if version else {}
        params.update(query)
        if params:
            url += "?" + urlencode(params)
        return url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        context.update(
            guideline=self.guideline,
            version=version,
            versions=self.versions(),
            version_choices=[
                (v.number, version_label(version=v, current=self.current()))
                for v in self.versions()
            ],
            current=self.current(),
            version_parameter=VERSION_PARAMETER,
            can_manage=self.request.user.has_perm("quizzes.manage_question_bank"),
            can_see_statistics=self.request.user.has_perm("quizzes.view_quiz_statistics"),
        )
        return context


def no_version_response(view):
    return view.response_class(
        request=view.request,
        template=["quizzes/editor/no_version.html"],
        context={"guideline": view.guideline},
    )


# Bank overview --------------------------------------------------------------------------
