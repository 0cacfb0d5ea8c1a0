"""Forms of the handbook: choosing two versions to compare, editing a draft, creating a
guideline, its audience, and importing its text from a file.

The forms only check input; handbook.services.update_draft does the writing and has the
last word on the rules.
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core import signing
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from handbook.models import TOPIC_LENGTH, Guideline, GuidelineVersion, Tip
from handbook.selectors import version_label
from handbook.services import REMOVAL_NOTE_LENGTH, effective_date_too_early, proposed_change
from handbook.services.guidelines import DepartmentInAudience
from handbook.text_io.data import EXTENSIONS, MAX_TEXT_BYTES
from people.models import Department, Employee
from people.roles import Role
from portal.forms import ErrorSummaryMixin


def _normalise_newlines(value: str) -> str:
    """Browsers send textarea lines ending in CRLF; stored texts use LF."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


class DiffForm(forms.Form):
    """Which two versions to compare (GET: ?van=1&naar=2)."""

    van = forms.TypedChoiceField(label=_("From version"), coerce=int)
    naar = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, self.version_label(v, current)) for v in versions]
        self.fields["van"].choices = choices
        self.fields["naar"].choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @staticmethod
    def version_label(version, current) -> str:
        return version_label(version=version, current=current)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") is not None and cleaned.get("van") == cleaned.get("naar"):
            self.add_error("naar", _("Choose two different versions."))
        return cleaned


class VersionForm(ErrorSummaryMixin, forms.Form):
    """The version's own fields: title, introduction, summary, date, re-acknowledgement."""

    error_summary_target = "version-fields"

    title = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    introduction = forms.CharField(
        label=_("Introduction (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: *italic*, **bold**, lists, links."),
    )
    introduction_en = forms.CharField(
        label=_("Introduction (English)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    change_summary = forms.CharField(
        label=_("Summary of changes (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown in the version history."),
    )
    change_summary_en = forms.CharField(
        label=_("Summary of changes (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The version becomes the current one on this date. Needed to publish."),
    )
    requires_reacknowledgement = forms.BooleanField(
        label=_("Everyone must acknowledge this version again"),
        required=False,
        help_text=_("Tick this when the meaning of the guideline changed."),
    )

    def __init__(self, *args, draft: GuidelineVersion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The draft whose fields these are: its effective date must not lie before that
        # of the version in force or scheduled (publishing refuses it too).
        self.draft = draft
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Title and introduction"),
                "title",
                "title_en",
                "introduction",
                "introduction_en",
            ),
            Fieldset(
                _("Publication"),
                "change_summary",
                "change_summary_en",
                Field("effective_date"),
                "requires_reacknowledgement",
            ),
        )

    def clean_effective_date(self):
        effective_date = self.cleaned_data["effective_date"]
        if effective_date is not None and self.draft is not None:
            too_early = effective_date_too_early(
                guideline=self.draft.guideline_id,
                number=self.draft.number,
                effective_date=effective_date,
            )
            if too_early:
                raise forms.ValidationError(too_early)
        return effective_date

    def clean_introduction(self):
        return _normalise_newlines(self.cleaned_data["introduction"])

    def clean_introduction_en(self):
        return _normalise_newlines(self.cleaned_data["introduction_en"])

    def clean_change_summary(self):
        return _normalise_newlines(self.cleaned_data["change_summary"])

    def clean_change_summary_en(self):
        return _normalise_newlines(self.cleaned_data["change_summary_en"])


CHANGE_CHOICES = [
    (Tip.Change.UNCHANGED, _("Unchanged")),
    (Tip.Change.EDITORIAL, _("Editorial change: nobody needs to acknowledge again")),
    (Tip.Change.MATERIAL, _("Change in meaning: staff must read it again")),
]


class TipForm(ErrorSummaryMixin, forms.Form):
    """One tip. Its lineage (hidden) ties it to the same tip in the previous version."""

    # The page links the tip's own errors to the tip (handbook.views.editing.error_summary).
    error_summary_target = ""

    lineage = forms.UUIDField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text (Dutch)"), widget=forms.Textarea(attrs={"rows": 4}))
    text_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    topic = forms.CharField(
        label=_("Topic (Dutch)"),
        max_length=TOPIC_LENGTH,
        required=False,
        help_text=_("A few words shown with the tip's number. Not part of the signed text."),
    )
    topic_en = forms.CharField(label=_("Topic (English)"), max_length=TOPIC_LENGTH, required=False)
    change = forms.ChoiceField(
        label=_("Kind of change since the previous version"),
        choices=CHANGE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, previous_texts=None, known_lineages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_texts: dict[uuid.UUID, str] = previous_texts or {}
        self.known_lineages: set[uuid.UUID] = known_lineages or set()

    def clean_text(self):
        return _normalise_newlines(self.cleaned_data["text"]).strip()

    def clean_text_en(self):
        return _normalise_newlines(self.cleaned_data["text_en"]).strip()

    def clean(self):
        cleaned = super().clean()
        lineage = cleaned.get("lineage")
        if lineage is not None and lineage not in self.known_lineages:
            raise forms.ValidationError(_("This tip does not belong to this draft."))
        text = cleaned.get("text")
        if lineage in self.previous_texts and text is not None:
            proposed = proposed_change(previous_text=self.previous_texts[lineage], text=text)
            if proposed:
                cleaned["change"] = proposed
            elif cleaned.get("change") not in (Tip.Change.EDITORIAL, Tip.Change.MATERIAL):
                self.add_error(
                    "change",
                    _("The text changed: mark it as an editorial change or a change in meaning."),
                )
        return cleaned

    @property
    def lineage_value(self):
        """The lineage as submitted or as initially given (None for a new tip)."""
        value = self["lineage"].value()
        if not value:
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None

    @property
    def is_new(self) -> bool:
        return self.lineage_value not in self.previous_texts

    @property
    def previous_text(self) -> str | None:
        return self.previous_texts.get(self.lineage_value)


class BaseTipFormSet(forms.BaseFormSet):
    ordering_widget = forms.NumberInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[ORDERING_FIELD_NAME].label = _("Position")
        form.fields[ORDERING_FIELD_NAME].help_text = _(
            "Tips are numbered in the order of these positions."
        )
        form.fields[ORDERING_FIELD_NAME].widget.attrs.setdefault("min", 1)
        form.fields[DELETION_FIELD_NAME].label = _("Remove this tip")

    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if not self._should_delete_form(f)]
        if not kept:
            raise forms.ValidationError(_("A version needs at least one tip."))
        lineages = [f.cleaned_data.get("lineage") for f in kept if f.cleaned_data.get("lineage")]
        if len(lineages) != len(set(lineages)):
            raise forms.ValidationError(_("A tip occurs twice."))

    def ordered_tips(self) -> list[TipForm]:
        """The forms that are kept, in the order of their positions."""
        return list(self.ordered_forms)


TipFormSet = forms.formset_factory(
    TipForm,
    formset=BaseTipFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class TopicForm(forms.Form):
    """The topics of one tip of a version, on the page that changes only the topics
    (handbook.views.topics); the tip is the form's place in the list."""

    topic = forms.CharField(label=_("Topic (Dutch)"), max_length=TOPIC_LENGTH, required=False)
    topic_en = forms.CharField(label=_("Topic (English)"), max_length=TOPIC_LENGTH, required=False)


class BaseTopicFormSet(forms.BaseFormSet):
    def __init__(self, *args, tips=(), **kwargs):
        self.tips = list(tips)
        initial = [{"topic": tip.topic, "topic_en": tip.topic_en} for tip in self.tips]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        # As many forms as the version has tips, whatever the management form says.
        return len(self.tips)

    def with_tips(self) -> list[tuple[Tip, TopicForm]]:
        return list(zip(self.tips, self.forms, strict=True))


TopicFormSet = forms.formset_factory(TopicForm, formset=BaseTopicFormSet, extra=0)


class RemovalForm(forms.Form):
    """A tip of the previous version that the draft leaves out. Removing a tip is a
    change in meaning (who signed before must sign again) unless the editor says not."""

    lineage = forms.UUIDField(widget=forms.HiddenInput)
    not_material = forms.BooleanField(
        label=_("Not a change in meaning: nobody needs to sign again"),
        required=False,
        help_text=_("For example when the tip was merged into another tip."),
    )
    note = forms.CharField(
        label=_("Why is this not a change in meaning?"),
        max_length=REMOVAL_NOTE_LENGTH,
        required=False,
        help_text=_("For example: merged into tip 4. Shown with the differences."),
    )

    def __init__(self, *args, removed_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.removed_texts: dict[uuid.UUID, str] = removed_texts or {}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lineage") is not None and cleaned["lineage"] not in self.removed_texts:
            raise forms.ValidationError(_("This tip is not a removed tip of this draft."))
        return cleaned

    @property
    def removed_text(self) -> str:
        value = self["lineage"].value()
        try:
            return self.removed_texts.get(uuid.UUID(str(value)), "")
        except ValueError:
            return ""


RemovalFormSet = forms.formset_factory(RemovalForm, extra=0, max_num=200, validate_max=True)


class RetirementRequestForm(forms.Form):
    """The reason one editor gives when asking for a version to be retired."""

    reason = forms.CharField(
        label=_("Why should this version be retired?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Another editor reads this before confirming. At most 1,000 characters."),
    )


class RetirementDecisionForm(forms.Form):
    """Which open request a confirmation or cancellation is about."""

    request = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


# Guidelines: creating one, its audience, importing its text --------------------------

# The signed text of an uploaded file stays valid this long between preview and confirm.
TEXT_UPLOAD_MAX_AGE = 60 * 60
TEXT_UPLOAD_SIGNING_SALT = "handbook.editor.text_import"


class AudienceForm(ErrorSummaryMixin, forms.Form):
    """Whom a guideline applies to: everyone, chosen departments (each with or without its
    sub-departments) or chosen roles."""

    audience = forms.ChoiceField(
        label=_("Who does the guideline apply to?"),
        choices=Guideline.Audience.choices,
        widget=forms.RadioSelect,
        initial=Guideline.Audience.EVERYONE,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments, with their sub-departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("For “Chosen departments”. Hold Ctrl (or Cmd) to choose more than one."),
    )
    departments_only = forms.ModelMultipleChoiceField(
        label=_("Departments, without their sub-departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “Chosen roles”."),
    )

    def __init__(self, *args, guideline: Guideline | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed departments (the HR system no longer has them) are offered no more,
        # except those already in this guideline's audience, so that it can be saved.
        offered = Q(closed_on__isnull=True)
        if guideline is not None:
            offered |= Q(pk__in=guideline.audience_departments.values("department"))
        departments = Department.objects.filter(offered).order_by("path")
        self.fields["departments"].queryset = departments
        self.fields["departments_only"].queryset = departments
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(self.audience_fieldset())

    @staticmethod
    def audience_fieldset() -> Fieldset:
        return Fieldset(_("Audience"), "audience", "departments", "departments_only", "roles")

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("departments") or ()) & set(cleaned.get("departments_only") or ())
        if both:
            self.add_error(
                "departments_only",
                _("Choose each department once: %(names)s.")
                % {"names": ", ".join(sorted(str(department) for department in both))},
            )
        return cleaned

    def audience_choices(self) -> dict:
        """The cleaned audience as handbook.services.guidelines takes it."""
        return {
            "audience": self.cleaned_data["audience"],
            "departments": [
                DepartmentInAudience(department=department, include_subdepartments=True)
                for department in self.cleaned_data["departments"]
            ]
            + [
                DepartmentInAudience(department=department, include_subdepartments=False)
                for department in self.cleaned_data["departments_only"]
            ],
            "roles": list(self.cleaned_data["roles"]),
        }

    @staticmethod
    def initial_for(guideline: Guideline) -> dict:
        rows = list(guideline.audience_departments.select_related("department"))
        return {
            "audience": guideline.audience,
            "departments": [row.department for row in rows if row.include_subdepartments],
            "departments_only": [row.department for row in rows if not row.include_subdepartments],
            "roles": list(guideline.audience_roles.values_list("role", flat=True)),
        }


class GuidelineForm(AudienceForm):
    """A new guideline: its titles, short name, owner, review date, audience and
    introduction (the text of its first draft)."""

    title = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=80,
        help_text=_(
            "Part of the guideline's web address, such as “privacy” or “gedragscode”: "
            "lower-case letters, digits and hyphens. It cannot change later."
        ),
    )
    owner = forms.EmailField(
        label=_("Owner's e-mail address"),
        required=False,
        help_text=_("The owner is reminded by e-mail when the yearly review is due."),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Set to a year after the effective date of each version you publish."),
    )
    introduction = forms.CharField(
        label=_("Introduction (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Markdown: *italic*, **bold**, lists, links."),
    )
    introduction_en = forms.CharField(
        label=_("Introduction (English)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    field_order = ["title", "title_en", "slug", "owner", "review_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(_("The guideline"), "title", "title_en", "slug", "owner", "review_date"),
            self.audience_fieldset(),
            Fieldset(_("Introduction"), "introduction", "introduction_en"),
        )

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()

    def clean_owner(self) -> Employee | None:
        email = self.cleaned_data["owner"]
        if not email:
            return None
        owner = Employee.objects.filter(email__iexact=email, is_active=True).first()
        if owner is None:
            raise forms.ValidationError(_("There is no active employee with this address."))
        return owner

    def clean_introduction(self):
        return _normalise_newlines(self.cleaned_data["introduction"])

    def clean_introduction_en(self):
        return _normalise_newlines(self.cleaned_data["introduction_en"])


class TextUploadForm(ErrorSummaryMixin, forms.Form):
    """A guideline's text as a file: Markdown with front matter or YAML, at most
    MAX_TEXT_BYTES (handbook.text_io reads and checks what is in it)."""

    bestand = forms.FileField(
        label=_("Text file"),
        help_text=format_lazy(
            _("A .md file (Markdown with front matter) or a .yaml file, at most {size}."),
            size=lazy(filesizeformat, str)(MAX_TEXT_BYTES),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={
            "required": _("Choose a text file."),
            "empty": _("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_bestand(self) -> bytes:
        """The file's bytes, refused when too big (the reader checks the rest)."""
        upload = self.cleaned_data["bestand"]
        too_big = forms.ValidationError(
            _("The file is too big: it may be at most %(limit)s."),
            params={"limit": filesizeformat(MAX_TEXT_BYTES)},
            code="too_big",
        )
        if upload.size > MAX_TEXT_BYTES:
            raise too_big
        data = upload.read(MAX_TEXT_BYTES + 1)
        if len(data) > MAX_TEXT_BYTES:
            raise too_big
        return data


def sign_text_upload(*, data: bytes, filename: str, draft: GuidelineVersion, user_pk: int) -> str:
    """A tamper-proof token that carries the uploaded file from preview to confirm, tied
    to this draft as it was previewed and to this user."""
    return signing.dumps(
        {
            "data": base64.b64encode(data).decode("ascii"),
            "name": filename,
            "sha256": hashlib.sha256(data).hexdigest(),
            "draft": draft.pk,
            "edited": _stamp(draft),
            "user": user_pk,
        },
        salt=TEXT_UPLOAD_SIGNING_SALT,
        compress=True,
    )


def unsign_text_upload(token: str, *, draft: GuidelineVersion, user_pk: int) -> dict | None:
    """The uploaded bytes and file name; None when the token is forged or stale, for
    another draft or user, or the draft changed since the preview."""
    try:
        upload = signing.loads(token, salt=TEXT_UPLOAD_SIGNING_SALT, max_age=TEXT_UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if (
        upload.get("draft") != draft.pk
        or upload.get("user") != user_pk
        or upload.get("edited") != _stamp(draft)
    ):
        return None
    try:
        data = base64.b64decode(upload["data"], validate=True)
    except (KeyError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != upload.get("sha256"):
        return None
    return {"data": data, "name": str(upload.get("name", ""))}


def _stamp(draft: GuidelineVersion) -> str:
    return draft.last_edited_at.isoformat() if draft.last_edited_at else ""


class ConfirmTextImportForm(forms.Form):
    """The confirmation step: the signed upload, nothing else."""

    upload = forms.CharField(widget=forms.HiddenInput)
