"""The trivial page that signing's throughput is compared with (config.urls_benchmark)."""

from django.urls import path

from benchmarks.views import TrivialView

app_name = "benchmarks"

urlpatterns = [
    path("trivial/", TrivialView.as_view(), name="trivial"),
]
