"""The quiz's addresses from before there were several guidelines (/quiz/...): they lead
to the same page of the default guideline, query string kept (302, so that the default
can change)."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.views.generic import RedirectView

from handbook.selectors import DEFAULT_GUIDELINE_SLUG, default_guideline


class DefaultGuidelineRedirectView(RedirectView):
    """/quiz/<rest> -> /handreikingen/<default guideline>/quiz/<rest>?<query>."""

    permanent = False

    def get_redirect_url(self, *args, rest: str = "", **kwargs) -> str:
        guideline = default_guideline()
        slug = guideline.slug if guideline is not None else DEFAULT_GUIDELINE_SLUG
        start = reverse("quizzes:start", kwargs={"guideline": slug})
        url = start + quote(rest, safe="/")
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
