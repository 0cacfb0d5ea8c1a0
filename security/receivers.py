"""Signal receivers that write the security event log (connected in SecurityConfig.ready).

Who and from where come from the request being answered (security.middleware); in the
worker or a command there is none and the event says so (no actor, no address).

Contract for account (de)activation: every ``Employee.save()`` that stores an
``is_active`` different from the stored value records ACCOUNT_ACTIVATED or
ACCOUNT_DEACTIVATED (the admin, a shell, any service that saves the model).
``QuerySet.update()`` and ``bulk_update()`` send no signals: a caller that switches
accounts on or off that way (the staff import) calls ``record_event`` itself.
"""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntryManager
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import m2m_changed, post_save, pre_save

from security.models import SecurityEvent
from security.services import record_event

Kind = SecurityEvent.Kind
ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}
# Only the names of the fields of a credential, never the values.
IDENTIFIER_KEYS = ("email", "username", "login")


def connect() -> None:
    """Connect every receiver once (dispatch_uid keeps a second call harmless)."""
    employee = get_user_model()
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="security.login")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="security.logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="security.failed")
    mfa_signals.authentication_failed.connect(
        on_second_factor_failed, dispatch_uid="security.mfa_failed"
    )
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="security.mfa+")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="security.mfa-"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="security.mfa~")
    m2m_changed.connect(
        on_groups_changed, sender=employee.groups.through, dispatch_uid="security.groups"
    )
    pre_save.connect(on_employee_pre_save, sender=employee, dispatch_uid="security.active?")
    post_save.connect(on_employee_saved, sender=employee, dispatch_uid="security.active")
    post_save.connect(on_report_event, sender="reports.ReportEvent", dispatch_uid="security.report")
    _wrap_admin_log()


# Log-ins and log-outs ---------------------------------------------------------------


def _login_method(request, user) -> dict:
    """How this session logged in, from allauth's record of the steps it passed."""
    from allauth.account.authentication import get_authentication_records

    session = getattr(request, "session", None)
    records = get_authentication_records(request, user) if session is not None else []
    details: dict = {"method": "other"}
    for record in records:
        if record.get("method") == "password":
            details["method"] = "password"
        elif record.get("method") == "socialaccount":
            details["method"] = "sso"
            details["provider"] = str(record.get("provider", ""))[:100]
        elif record.get("method") == "mfa":
            details["second_factor"] = str(record.get("type", ""))[:100]
    return details


def on_logged_in(sender, request, user, **kwargs) -> None:
    record_event(kind=Kind.LOGIN, request=request, actor=user, details=_login_method(request, user))


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(kind=Kind.LOGOUT, request=request, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django's signal for a wrong password (allauth's form and reauthentication send it
    too). Only the name tried is kept; Django has already masked the password."""
    tried = next((str(credentials[k]) for k in IDENTIFIER_KEYS if credentials.get(k)), "")
    subject = None
    if tried:
        subject = get_user_model().objects.filter(email__iexact=tried).first()
    record_event(
        kind=Kind.LOGIN_FAILED,
        request=request,
        actor=None,
        actor_identifier=tried,
        subject=subject,
        details={"method": "password"},
    )


def on_second_factor_failed(sender, request, user, authenticator=None, **kwargs) -> None:
    record_event(
        kind=Kind.LOGIN_FAILED,
        request=request,
        actor=None,
        actor_identifier=getattr(user, "email", ""),
        subject=user,
        details={
            "method": getattr(authenticator, "type", "mfa"),
            "reauthentication": bool(kwargs.get("reauthentication", False)),
        },
    )


# Two-factor ---------------------------------------------------------------------------


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    kind = {
        Authenticator.Type.TOTP: Kind.TOTP_ACTIVATED,
        Authenticator.Type.RECOVERY_CODES: Kind.RECOVERY_CODES_GENERATED,
    }.get(authenticator.type)
    if kind:
        record_event(kind=kind, request=request, actor=user, subject=user)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    # Recovery codes go with the last authenticator app; the app's removal says it.
    if authenticator.type == Authenticator.Type.TOTP:
        record_event(kind=Kind.TOTP_DEACTIVATED, request=request, actor=user, subject=user)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record_event(kind=Kind.RECOVERY_CODES_GENERATED, request=request, actor=user, subject=user)


# Roles --------------------------------------------------------------------------------


def on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A role granted or removed, from either side (employee.groups or group.user_set)."""
    from django.contrib.auth.models import Group

    if action == "pre_clear":
        # What a clear removes is known only before it.
        if reverse:
            instance._security_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._security_cleared = list(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_security_cleared", []))
        kind = Kind.ROLE_REMOVED
    elif action in ("post_add", "post_remove"):
        kind = Kind.ROLE_GRANTED if action == "post_add" else Kind.ROLE_REMOVED
    else:
        return
    if not pk_set:
        return
    if reverse:  # group.user_set: instance is the group, the keys are employees
        pairs = [(employee, instance) for employee in model.objects.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]
    for employee, group in pairs:
        record_event(kind=kind, subject=employee, details={"role": group.name[:100]})


# Account (de)activation (see the contract in the module's docstring) -------------------


def on_employee_pre_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._security_active_changed = False
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("is_active", flat=True)
    stored = stored.first()
    instance._security_active_changed = stored is not None and stored != instance.is_active


def on_employee_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not getattr(instance, "_security_active_changed", False):
        return
    instance._security_active_changed = False
    kind = Kind.ACCOUNT_ACTIVATED if instance.is_active else Kind.ACCOUNT_DEACTIVATED
    record_event(kind=kind, subject=instance)


# Exports (downloads of every kind: security.middleware) --------------------------------


def on_report_event(sender, instance, created, raw=False, **kwargs) -> None:
    """A compliance report or individual file asked for: the export is made by the worker
    later, so the moment (and the address) that counts is the request for it."""
    if raw or not created or instance.kind != "requested":
        return
    report = instance.report
    record_event(
        kind=Kind.EXPORT,
        actor=instance.actor,
        subject=report.employee if report.employee_id else None,
        details={
            "action": "report_requested",
            "report": report.pk,
            "scope": report.kind,
            "format": report.format,
        },
    )


# Admin changes ------------------------------------------------------------------------


def _record_admin_entries(entries) -> None:
    for entry in entries:
        subject = None
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is get_user_model() and entry.action_flag != DELETION:
            subject = model._default_manager.filter(pk=entry.object_id).first()
        record_event(
            kind=Kind.ADMIN_CHANGE,
            actor=entry.user,
            subject=subject,
            details={
                "action": ADMIN_ACTIONS.get(entry.action_flag, str(entry.action_flag)),
                "model": f"{entry.content_type.app_label}.{entry.content_type.model}",
                "object": str(entry.object_id)[:100],
            },
        )


def _wrap_admin_log() -> None:
    """Every admin log entry passes through LogEntryManager.log_actions; several deletions
    at once are written with bulk_create, which sends no post_save, so the event log
    hooks on the method itself rather than on the model's signal."""
    original = LogEntryManager.log_actions
    if getattr(original, "_security_wrapped", False):
        return

    def log_actions(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        _record_admin_entries(result if isinstance(result, list) else [result])
        return result

    log_actions._security_wrapped = True
    LogEntryManager.log_actions = log_actions
