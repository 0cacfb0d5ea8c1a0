"""The portal's URLs plus pages that fail on purpose, for the error-page tests
(portal/tests/test_error_pages.py: ``@pytest.mark.urls("portal.tests.error_urls")``)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as portal_urlpatterns
from people.models import Employee

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a header that is not allowed")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def forbidden_with_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Alleen de redactie mag dit.")


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404


def missing_object(request: HttpRequest) -> HttpResponse:
    get_object_or_404(Employee, pk=0)
    return HttpResponse()


def conflict(request: HttpRequest) -> HttpResponse:
    return render(request, "409.html", status=409)


def gone(request: HttpRequest) -> HttpResponse:
    return render(request, "410.html", status=410)


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in the portal")


urlpatterns = [
    path("fouten/400/", bad),
    path("fouten/403/", forbidden),
    path("fouten/403-met-reden/", forbidden_with_reason),
    path("fouten/404/", missing),
    path("fouten/404-object/", missing_object),
    path("fouten/409/", conflict),
    path("fouten/410/", gone),
    path("fouten/500/", broken),
    *portal_urlpatterns,
]
