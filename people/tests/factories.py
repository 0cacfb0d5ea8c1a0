import factory
from django.contrib.auth.models import Group

from people.models import Department, Employee
from people.roles import Role

DEFAULT_PASSWORD = "Voorbeeldstad-2026!"
# A fixed base32 TOTP secret for EmployeeFactory(totp=True); see totp_code below.
DEFAULT_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AFD{n:03d}")
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    kind = Department.Kind.DEPARTMENT
    parent = None
    path = factory.LazyAttribute(lambda d: f"{d.parent.path if d.parent else '/'}{d.code}/")


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee; traits give roles: EmployeeFactory(editor=True)."""

    class Meta:
        model = Employee
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    employee_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    name_prefix = ""
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"medewerker{n}@voorbeeldstad.nl")
    job_title = "Beleidsmedewerker"
    department = factory.SubFactory(DepartmentFactory)
    preferred_language = "nl"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        hr = factory.Trait(job_title="HR-adviseur", roles__granted=[Role.HR])
        editor = factory.Trait(job_title="Communicatieadviseur", roles__granted=[Role.EDITOR])
        auditor = factory.Trait(job_title="Auditor", roles__granted=[Role.AUDITOR])
        administrator = factory.Trait(
            job_title="Functioneel beheerder", is_staff=True, roles__granted=[Role.ADMINISTRATOR]
        )

    @factory.post_generation
    def roles(self, create, extracted, granted=(), **kwargs):
        """Roles to grant: EmployeeFactory(roles=[Role.HR]) or a trait (hr=True)."""
        self.save()
        for role in [*(extracted or []), *granted]:
            self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """EmployeeFactory(hr=True, totp=True): a TOTP authenticator with a known secret.

        Pass a base32 secret instead of True to choose it.
        """
        if not extracted:
            return
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(self, DEFAULT_TOTP_SECRET if extracted is True else extracted)


def totp_code(secret: str) -> str:
    """The 6-digit TOTP code an authenticator app shows now for a base32 secret, by
    allauth's own algorithm and settings: what the code step accepts (once per period)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def login_with_second_factor(client, employee) -> None:
    """Log the employee in on a test Client as after a log-in that passed the second
    factor: ``force_login`` plus the session records allauth writes (the password, then
    the TOTP code). The one way for Client tests to get a privileged session."""
    _login_with_records(client, employee, ["password", "mfa"])


def login_with_password_only(client, employee) -> None:
    """As a log-in with the password alone (a stolen password): no second factor."""
    _login_with_records(client, employee, ["password"])


def _login_with_records(client, employee, methods: list[str]) -> None:
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(employee)
    now = time.time()
    extra = {"password": {"email": employee.email}, "mfa": {"type": "totp"}}
    records = [{"method": m, "at": now, **extra.get(m, {})} for m in methods]
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(employee)
    session.save()
