from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and organisation")

    def ready(self) -> None:
        from people.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="people.sync_roles")
        from allauth.account.signals import user_logged_in

        from people.auth.sso import remember_idp_mfa

        user_logged_in.connect(remember_idp_mfa, dispatch_uid="people.remember_idp_mfa")
        from allauth.mfa.signals import authenticator_added

        from people.auth.two_factor import count_activation_as_passed

        authenticator_added.connect(
            count_activation_as_passed, dispatch_uid="people.count_activation_as_passed"
        )
        from django.db.models.signals import post_save

        from people.services.sessions import end_sessions_when_deactivated

        post_save.connect(
            end_sessions_when_deactivated,
            sender=self.get_model("Employee"),
            dispatch_uid="people.end_sessions_when_deactivated",
        )
        from people.roles import Role
        from security.hooks import register_values

        # The security log shows roles (and the admin flags a privileged account has)
        # by name in the reader's language.
        register_values(
            {
                **{role.value: role.label for role in Role},
                "is_staff": _("admin site access"),
                "is_superuser": _("superuser"),
            }
        )
