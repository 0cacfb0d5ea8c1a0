from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """Who did what that matters for security, when and from where.

    Written only by :func:`security.services.record_event`. The identifiers are copied as
    text so that the event still says who it was after the account is gone; ``details``
    holds short facts (a method, a role, a format), never free text about a person.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Log-in failed")
        LOGOUT = "logout", _("Logged out")
        TOTP_ACTIVATED = "totp_activated", _("Authenticator app turned on")
        TOTP_DEACTIVATED = "totp_deactivated", _("Authenticator app turned off")
        RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("New recovery codes made")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        ADMIN_CHANGE = "admin_change", _("Change in the admin site")
        EXPORT = "export", _("Data exported")
        PRIVILEGED_CHANGE_REFUSED = "privileged_change_refused", _("Privileged change refused")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_identifier = models.CharField(
        _("by (as it was then)"),
        max_length=254,
        blank=True,
        help_text=_("The log-in name at the time, or the name tried at a failed log-in."),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("about"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_identifier = models.CharField(_("about (as it was then)"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="security_event_actor_idx"),
            models.Index(fields=["subject", "-created_at"], name="security_event_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"
