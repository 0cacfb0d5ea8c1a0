"""A trivial page for logged-in staff: the baseline of the signing benchmark.

It pays what every page pays (the middleware, the session and the user) and nothing
else: a few bytes of text. Only config.urls_benchmark (benchmark settings) serves it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View


class TrivialView(LoginRequiredMixin, View):
    def get(self, request):
        return HttpResponse(b"ok\n", content_type="text/plain")
