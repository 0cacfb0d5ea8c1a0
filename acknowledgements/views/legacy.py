"""The signing addresses from before there were several guidelines: /bevestigen/ and
/bevestigen/wat-is-er-veranderd/ lead to the same page of the default guideline, query
string kept (302, so that the default can change)."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import RedirectView

from handbook.selectors import DEFAULT_GUIDELINE_SLUG, default_guideline


class DefaultGuidelineRedirectView(RedirectView):
    """/bevestigen/ -> signing:sign, /bevestigen/wat-is-er-veranderd/ -> signing:changes
    (``pattern_name``) of the default guideline."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs) -> str:
        guideline = default_guideline()
        slug = guideline.slug if guideline is not None else DEFAULT_GUIDELINE_SLUG
        url = reverse(self.pattern_name, kwargs={"guideline": slug})
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
