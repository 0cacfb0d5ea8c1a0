"""The client's address: one rule for the log-in limits and the security event log."""

from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings

from portal.http import client_ip


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_the_address_is_the_connections_and_x_forwarded_for_is_ignored():
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_ip(request) == "10.0.0.1"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_the_last_x_forwarded_for_entry():
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert client_ip(request) == "198.51.100.4"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_a_forged_entry_in_front_does_not_fool_it():
    # The client sends "X-Forwarded-For: 203.0.113.66"; our proxy appends the real address.
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4")

    assert client_ip(request) == "198.51.100.4"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_counts():
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4, 10.0.0.2")

    assert client_ip(request) == "198.51.100.4"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_header_shorter_than_the_proxy_chain_gives_no_address_instead_of_an_error():
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert client_ip(request) is None


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_value_that_is_not_an_address_gives_no_address():
    request = _request(HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) is None


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_the_log_in_limits_count_the_same_address():
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4")

    assert client_ip(request) == get_adapter(request).get_client_ip(request)
