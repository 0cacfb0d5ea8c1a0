"""Forms of HR's staff import pages. They only check the upload; people.services does
the checking of the rows and the writing."""

from __future__ import annotations

from pathlib import PurePath

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.forms import ErrorSummaryMixin

STAFF_FILE_EXTENSIONS = (".csv", ".txt")
# The preview's confirmation stays valid this long (the stored file is removed after).
UPLOAD_MAX_AGE = 24 * 60 * 60
UPLOAD_SIGNING_SALT = "people.staff_import"


def _size_limit() -> str:
    return filesizeformat(settings.STAFF_IMPORT_MAX_BYTES)


class StaffImportForm(ErrorSummaryMixin, forms.Form):
    """The HR system's export (CSV, at most STAFF_IMPORT_MAX_BYTES, within the caps of
    people.staff_import.parsing.read_text) and whether it is full."""

    bestand = forms.FileField(
        label=_("CSV file from the HR system"),
        # Lazy, so the hint follows the language of each request, not of start-up.
        help_text=format_lazy(
            _(
                "A .csv file with a row per employee and a header row, separated by “;” or "
                "“,”, in UTF-8 or Windows-1252, at most {size}."
            ),
            size=lazy(_size_limit, str)(),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
        error_messages={
            "required": _("Choose the CSV file exported from the HR system."),
            "empty": _("The file is empty."),
        },
    )
    eenheden = forms.FileField(
        label=_("Organisation-unit file"),
        required=False,
        help_text=_(
            "Only if the HR system exports the organisation's units as a file of their own: "
            "a .csv file with a row per unit (code, parent code, name and optionally kind). "
            "The staff file then gives each person's unit by its code."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
        error_messages={"empty": _("The unit file is empty.")},
    )
    volledig = forms.BooleanField(
        label=_("This is a full export"),
        required=False,
        help_text=_(
            "Everyone employed is in the file. Active employees whose employee number is "
            "missing from it become leavers: deactivated, never deleted. When the file "
            "describes the organisation's units, units missing from it are closed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @staticmethod
    def _too_big() -> forms.ValidationError:
        return forms.ValidationError(
            _("The file is too big: it may be at most %(limit)s."),
            params={"limit": _size_limit()},
            code="too_big",
        )

    def clean_bestand(self) -> bytes:
        return self._read(self.cleaned_data["bestand"])

    def clean_eenheden(self) -> bytes | None:
        upload = self.cleaned_data.get("eenheden")
        return self._read(upload) if upload else None

    def _read(self, upload) -> bytes:
        """The file's bytes: refused when too big or not a CSV file, by its size before
        it is read, and by the caps before it is parsed."""
        from people.staff_import.parsing import read_text

        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in STAFF_FILE_EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "The file must be a CSV file ending in .csv; “%(name)s” is not. In Excel, "
                    "choose Save as and then CSV."
                ),
                params={"name": upload.name},
                code="extension",
            )
        limit = settings.STAFF_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise self._too_big()
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise self._too_big()
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."), code="empty")
        _text, refusal = read_text(data)
        if refusal:
            raise forms.ValidationError(refusal, code="refused")
        return data


class ConfirmStaffImportForm(forms.Form):
    """The confirmation step: the signed reference to the previewed file, nothing else."""

    upload = forms.CharField(widget=forms.HiddenInput)


def sign_upload(
    *,
    sha256: str,
    filename: str,
    full_export: bool,
    user_pk: int,
    units_sha256: str = "",
    units_name: str = "",
) -> str:
    return signing.dumps(
        {
            "sha256": sha256,
            "name": filename,
            "full": full_export,
            "user": user_pk,
            "units": units_sha256,
            "units_name": units_name,
        },
        salt=UPLOAD_SIGNING_SALT,
    )


def unsign_upload(token: str, *, user_pk: int) -> dict | None:
    """The previewed file's hash, name and full flag, or None when the token is forged,
    stale or someone else's."""
    try:
        data = signing.loads(token, salt=UPLOAD_SIGNING_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user_pk:
        return None
    return data
