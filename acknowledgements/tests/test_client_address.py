"""The address kept with a signature is the client's by the trusted-proxy rule
(PORTAL_TRUSTED_PROXY_COUNT, portal.http.client_ip), as for the log-in limits: behind
the reverse proxy it is not the proxy's address, and without a trusted proxy a forged
X-Forwarded-For header changes nothing. Through real requests."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from acknowledgements.models import Acknowledgement
from acknowledgements.tests.factories import ready_to_sign
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
CLIENT = "198.51.100.4"
FORGED = "203.0.113.66"


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _sign_from(settings, *, proxies: int, **meta) -> Acknowledgement:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    employee = EmployeeFactory(first_name="Jan", name_prefix="", last_name="Berg")
    version = ready_to_sign(employee)
    client = Client()
    client.force_login(employee)
    response = client.post(
        reverse("signing:sign", kwargs={"guideline": "sociale-media"}),
        {"typed_name": "Jan Berg", "confirmed": "on", "language": "nl"},
        **meta,
    )
    assert response.status_code == 302
    return Acknowledgement.objects.get(employee=employee, version=version)


def test_without_a_trusted_proxy_the_signature_keeps_the_connections_address(settings):
    record = _sign_from(settings, proxies=0, REMOTE_ADDR=CLIENT)

    assert record.ip_address == CLIENT


def test_without_a_trusted_proxy_a_forged_forwarded_header_is_ignored(settings):
    record = _sign_from(settings, proxies=0, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)

    assert record.ip_address == CLIENT


def test_behind_one_proxy_the_signature_keeps_the_clients_address_not_the_proxys(settings):
    record = _sign_from(settings, proxies=1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    assert record.ip_address == CLIENT


def test_behind_one_proxy_an_entry_the_client_forged_in_front_is_ignored(settings):
    record = _sign_from(
        settings, proxies=1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}"
    )

    assert record.ip_address == CLIENT


def test_behind_two_proxies_the_signature_keeps_the_second_entry_from_the_right(settings):
    record = _sign_from(
        settings,
        proxies=2,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}, 10.0.0.2",
    )

    assert record.ip_address == CLIENT


def test_a_forwarded_header_shorter_than_the_proxy_chain_records_no_address_not_a_wrong_one(
    settings,
):
    record = _sign_from(settings, proxies=2, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=FORGED)

    assert record.ip_address is None


def test_an_on_behalf_record_keeps_no_address_neither_the_proxys_nor_the_recorders(settings):
    # The employee signed on paper: the address of whoever typed it in is not theirs.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    hr = EmployeeFactory(hr=True)
    worker = EmployeeFactory(employee_number="700123")
    version = published_version(effective_date=timezone.localdate())
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    client.force_login(hr)
    data = {
        "employee_number": worker.employee_number,
        "version": version.pk,
        "signed_on": timezone.localdate().isoformat(),
        "reason": "getekend op papier",
    }

    assert client.post(reverse("ledger:on_behalf"), data).status_code == 200
    response = client.post(reverse("ledger:on_behalf"), {**data, "confirm": "1"})

    assert response.status_code == 302
    record = Acknowledgement.objects.get(employee=worker, version=version)
    assert (record.method, record.ip_address) == ("on_behalf", None)
