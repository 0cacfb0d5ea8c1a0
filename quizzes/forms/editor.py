"""Forms of the editors' quiz pages: filtering the bank, quiz settings, importing a bank.

The forms only check input; quizzes.services does the writing and has the last word.
"""

from __future__ import annotations

from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.forms import ErrorSummaryMixin
from portal.search import SearchField
from quizzes.bank_io.data import MAX_BANK_BYTES
from quizzes.models import QuizSettings

BANK_EXTENSIONS = (".yaml", ".yml", ".json")
# The signed text of an uploaded bank stays valid this long between preview and confirm.
UPLOAD_MAX_AGE = 60 * 60
UPLOAD_SIGNING_SALT = "quizzes.editor.import"


class BankFilterForm(forms.Form):
    """Search and filters of the bank overview (GET)."""

    ACTIVE_CHOICES = [
        ("", _("Active and inactive")),
        ("ja", _("Active only")),
        ("nee", _("Inactive only")),
    ]

    zoek = SearchField(label=_("Search in key and text"))
    tip = forms.TypedChoiceField(label=_("Tip"), required=False, coerce=int, empty_value=None)
    actief = forms.ChoiceField(label=_("Active"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, tips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tip"].choices = [("", _("All tips"))] + [
            (tip.number, _("Tip %(number)s") % {"number": tip.number}) for tip in tips
        ]

    @property
    def search_refused(self) -> bool:
        """A search over the caps of portal.search: no questions are listed (the box says
        why)."""
        return self.is_bound and "zoek" in self.errors

    @property
    def filters(self) -> dict:
        """The cleaned filters; an invalid value counts as no filter."""
        if not self.is_valid():
            return {"zoek": "", "tip": None, "actief": ""}
        return self.cleaned_data


# The numbers an editor may enter: (lowest, highest).
RANGES = {
    "questions_per_attempt": (1, 200),
    "pass_mark": (1, 100),
    "attempts_per_day": (1, 100),
    "minutes_per_attempt": (5, 24 * 60),
}


class QuizSettingsForm(ErrorSummaryMixin, forms.ModelForm):
    """How the quiz of a version is run. Never saved by the form itself: the view passes
    the cleaned data to quizzes.services.update_settings."""

    class Meta:
        model = QuizSettings
        fields = [
            "questions_per_attempt",
            "pass_mark",
            "shuffle_options",
            "attempts_per_day",
            "minutes_per_attempt",
            "required_for_acknowledgement",
        ]
        labels = {
            "questions_per_attempt": _("Questions per attempt"),
            "pass_mark": _("Pass mark (percentage right)"),
            "shuffle_options": _("Shuffle the options of each question"),
            "attempts_per_day": _("Attempts per day"),
            "minutes_per_attempt": _("Minutes to finish an attempt"),
            "required_for_acknowledgement": _(
                "Employees must pass the quiz before they can acknowledge the guideline"
            ),
        }
        help_texts = {
            "questions_per_attempt": _("Drawn from the active questions, spread over the tips."),
            "pass_mark": _("A whole number from 1 to 100."),
            "attempts_per_day": _("How often one employee may start the quiz in one day."),
            "minutes_per_attempt": _(
                "From 5 to 1440. An attempt that is not submitted in time expires."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "questions_per_attempt": _("Enter a whole number of questions from 1 to 200."),
            "pass_mark": _("Enter a pass mark from 1 to 100 per cent."),
            "attempts_per_day": _("Enter a whole number of attempts from 1 to 100."),
            "minutes_per_attempt": _("Enter a whole number of minutes from 5 to 1440."),
        }
        for name, message in messages.items():
            field = self.fields[name]
            field.error_messages.update(
                {"invalid": message, "min_value": message, "max_value": message}
            )
            # The model's validators say it in general terms; clean_<name> says what to enter.
            field.validators = []
        for name, (low, high) in RANGES.items():
            self.fields[name].widget.attrs.update({"min": low, "max": high})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Questions and pass mark"),
                "questions_per_attempt",
                "pass_mark",
                "shuffle_options",
            ),
            Fieldset(
                _("Attempts"),
                "attempts_per_day",
                "minutes_per_attempt",
                "required_for_acknowledgement",
            ),
        )

    def _check_range(self, name: str):
        value = self.cleaned_data.get(name)
        low, high = RANGES[name]
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(self.fields[name].error_messages["min_value"])
        return value

    def clean_questions_per_attempt(self):
        return self._check_range("questions_per_attempt")

    def clean_pass_mark(self):
        return self._check_range("pass_mark")

    def clean_attempts_per_day(self):
        return self._check_range("attempts_per_day")

    def clean_minutes_per_attempt(self):
        return self._check_range("minutes_per_attempt")

    def _post_clean(self):
        # Do not copy the input onto the instance: the service writes, the form checks.
        pass

    def changed_settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BankUploadForm(ErrorSummaryMixin, forms.Form):
    """A question bank file: YAML or JSON, UTF-8, at most MAX_BANK_BYTES."""

    bestand = forms.FileField(
        label=_("Question bank file"),
        # Lazy, so the hint follows the language of each request, not of start-up.
        help_text=format_lazy(
            _("A .yaml, .yml or .json file in UTF-8, at most {size}."),
            size=lazy(filesizeformat, str)(MAX_BANK_BYTES),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(BANK_EXTENSIONS)}),
        error_messages={
            "required": _("Choose a question bank file."),
            "empty": _("The file is empty."),
        },
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
            params={"limit": filesizeformat(MAX_BANK_BYTES)},
            code="too_big",
        )

    def clean_bestand(self) -> str:
        """The file's text (not the file): refused when too big, of another kind or not
        UTF-8."""
        upload = self.cleaned_data["bestand"]
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in BANK_EXTENSIONS:
            raise forms.ValidationError(
                _("The file must end in .yaml, .yml or .json; “%(name)s” does not."),
                params={"name": upload.name},
                code="extension",
            )
        if upload.size > MAX_BANK_BYTES:
            raise self._too_big()
        data = upload.read(MAX_BANK_BYTES + 1)
        if len(data) > MAX_BANK_BYTES:
            raise self._too_big()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _(
                    "The file is not in UTF-8 (unreadable byte at position %(position)s). "
                    "Save it as UTF-8 and upload it again."
                ),
                params={"position": error.start},
                code="encoding",
            ) from error
        if not text.strip():
            raise forms.ValidationError(_("The file is empty."), code="empty")
        return text


def sign_upload(*, text: str, filename: str, version_pk: int, user_pk: int) -> str:
    """A tamper-proof token that carries the uploaded text from preview to confirm."""
    return signing.dumps(
        {"text": text, "name": filename, "version": version_pk, "user": user_pk},
        salt=UPLOAD_SIGNING_SALT,
        compress=True,
    )


def unsign_upload(token: str, *, version_pk: int, user_pk: int) -> dict | None:
    """The uploaded text and file name, or None when the token is forged, stale, or for
    another version or user."""
    try:
        data = signing.loads(token, salt=UPLOAD_SIGNING_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("version") != version_pk or data.get("user") != user_pk:
        return None
    return data


class ConfirmImportForm(forms.Form):
    """The confirmation step: the signed upload, nothing else."""

    upload = forms.CharField(widget=forms.HiddenInput)
