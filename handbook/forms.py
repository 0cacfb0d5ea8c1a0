"""Forms of the handbook: choosing two versions to compare, and editing a draft.

The forms only check input; handbook.services.update_draft does the writing and has the
last word on the rules.
"""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from handbook.models import Tip
from handbook.selectors import version_label
from handbook.services import proposed_change
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
