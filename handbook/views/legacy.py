"""The addresses from when the portal held one guideline (/handreiking/...): each
redirects (302, query string kept) to the same page of the default guideline."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views import View

from handbook.selectors import default_guideline


class LegacyRedirectView(View):
    """/handreiking/<rest> -> /handreikingen/<default>/<rest>; to the list of guidelines
    when there is none yet."""

    def get(self, request, *args, rest: str = "", **kwargs):
        guideline = default_guideline()
        if guideline is None:
            target = reverse("handbook:list")
        else:
            target = reverse("handbook:current", kwargs={"guideline": guideline.slug})
            target += escape_uri_path(rest.lstrip("/"))
        query = request.META.get("QUERY_STRING", "")
        if query:
            target += "?" + query
        return HttpResponseRedirect(target)

    head = get
