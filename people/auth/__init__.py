"""Logging in: allauth's adapters, single sign-on (sso, saml), the second factor per
session (two_factor), log-in limits and the admin site behind the portal's log-in
(admin_site)."""
