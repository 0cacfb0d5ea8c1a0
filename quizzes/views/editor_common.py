"""What the editors' quiz pages share: the guideline of the address and the version they
work on, the rights on that guideline, errors."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from handbook.models import Guideline, GuidelineVersion
from handbook.selectors import (
    current_version,
    open_draft,
    version_label,
    visible_versions,
)
from handbook.selectors.access import guideline_by_slug, has_guideline_perm
from portal.viewhelpers import portal_language

logger = logging.getLogger(__name__)

VERSION_PARAMETER = "versie"
BANK_PAGE_SIZE = 25
SITUATION_PREVIEW_CHARS = 90


class QuizEditorMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in, the guideline of the address (404 when there is none with that short
    name), the permission for that guideline: given for every guideline or for this one
    (handbook.selectors.access.has_guideline_perm; others get 403, anonymous visitors the
    log-in page), and the version the page is about (``?versie=N``)."""

    permission_required = "quizzes.manage_question_bank"
    guideline: Guideline

    def has_permission(self) -> bool:
        guideline = guideline_by_slug(slug=self.kwargs["guideline"])
        if guideline is None:
            raise Http404(gettext("There is no guideline with this short name."))
        self.guideline = guideline
        return self.guideline_perm(self.permission_required)

    def guideline_perm(self, perm: str) -> bool:
        """Whether the user holds ``perm`` for this guideline (or for all of them)."""
        return has_guideline_perm(user=self.request.user, perm=perm, guideline=self.guideline)

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
                if self.guideline_perm("handbook.view_draft_guidelineversion")
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
        url = reverse(f"quiz_editor:{name}", kwargs={"guideline": self.guideline.slug})
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
            guideline_title=self.guideline.title_in(portal_language()),
            version=version,
            versions=self.versions(),
            version_choices=[
                (v.number, version_label(version=v, current=self.current()))
                for v in self.versions()
            ],
            current=self.current(),
            version_parameter=VERSION_PARAMETER,
            can_manage=self.guideline_perm("quizzes.manage_question_bank"),
            can_see_statistics=self.guideline_perm("quizzes.view_quiz_statistics"),
        )
        return context


def no_version_response(view):
    return view.response_class(
        request=view.request,
        template=["quizzes/editor/no_version.html"],
        context={"guideline": view.guideline},
    )


# Bank overview --------------------------------------------------------------------------
