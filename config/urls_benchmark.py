"""The portal's URLs plus the benchmark's trivial page (config.settings.benchmark only)."""

from django.urls import include, path

from config.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("benchmark/", include("benchmarks.urls")),
    *portal_urlpatterns,
]
