"""The one error summary: ErrorSummaryMixin's list and the shared template."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from portal.forms import ErrorSummaryMixin, error_links
from portal.testing.html import error_summary, links, one, parse, select


class PlaceForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    token = forms.CharField(label="Token", widget=forms.HiddenInput)
    days = forms.IntegerField(label="Days")

    def clean(self):
        # A field error added after the fields were cleaned, and an error of the form.
        self.add_error("name", "Taken.")
        raise forms.ValidationError("Not now.")


class QuietForm(PlaceForm):
    error_summary_target = "quiet-form"
    error_summary_labels = False


def test_field_errors_come_in_the_order_of_the_fields_then_the_forms_own():
    form = PlaceForm(data={"days": "x"})

    with translation.override("en"):
        messages = [error["message"] for error in form.error_summary()]

    assert messages == [
        "Name: This field is required.",
        "Name: Taken.",
        "Kind: This field is required.",
        "Days: Enter a whole number.",
        "This field is required.",
        "Not now.",
    ]


def test_a_field_error_links_to_the_field_and_a_radio_group_to_its_first_button():
    form = PlaceForm(data={"days": "x"})

    targets = [error["target"] for error in form.error_summary()]

    assert targets[:4] == ["id_name", "id_name", "id_kind_0", "id_days"]


def test_the_forms_own_and_hidden_fields_errors_link_to_the_form():
    form = PlaceForm(data={"days": "x"})

    own = form.error_summary()[4:]

    assert [error["target"] for error in own] == ["main-form", "main-form"]


def test_extra_messages_come_last_and_link_to_the_form():
    form = PlaceForm(data={"name": "n", "kind": "a", "token": "t", "days": "1"})

    summary = form.error_summary(extra=["The service said no."])

    assert summary[-1] == {"message": "The service said no.", "target": "main-form"}
    assert summary[:-1] == [
        {"message": "Name: Taken.", "target": "id_name"},
        {"message": "Not now.", "target": "main-form"},
    ]


def test_a_form_can_name_its_own_target_and_leave_the_labels_out():
    data = {"q-name": "n", "q-kind": "a", "q-token": "t", "q-days": "x"}
    form = QuietForm(data=data, prefix="q")

    with translation.override("en"):
        summary = form.error_summary()

    assert summary == [
        {"message": "Taken.", "target": "id_q-name"},
        {"message": "Enter a whole number.", "target": "id_q-days"},
        {"message": "Not now.", "target": "quiet-form"},
    ]


def test_a_form_without_the_mixin_gets_unlinked_own_errors():
    form = forms.Form(data={})
    form.add_error(None, "Wrong password.")

    assert error_links(form) == [{"message": "Wrong password.", "target": ""}]


def test_without_errors_the_template_renders_nothing():
    html = render_to_string(
        "portal/includes/error_summary.html", {"errors": [], "heading": "There is a problem"}
    )

    assert html.strip() == ""


def test_the_template_links_each_error_and_loads_the_focus_script():
    form = PlaceForm(data={"days": "x"})

    html = render_to_string(
        "portal/includes/error_summary.html",
        {"errors": form.error_summary(), "heading": "There is a problem"},
    )

    page = parse(html)
    box = one(page, "div#error-summary").attributes
    assert box["role"] == "alert"
    assert box["tabindex"] == "-1"
    assert box["aria-labelledby"] == "error-summary-heading"
    assert one(page, "#error-summary h2").id == "error-summary-heading"
    assert links(page) == [
        "#id_name",
        "#id_name",
        "#id_kind_0",
        "#id_days",
        "#main-form",
        "#main-form",
    ]
    assert one(page, "script").attributes["src"].endswith("portal/js/focus-error-summary.js")


def test_an_error_without_a_target_is_shown_without_a_link():
    html = render_to_string(
        "portal/includes/error_summary.html",
        {"errors": [{"message": "Wrong password.", "target": ""}], "heading": "There is a problem"},
    )

    page = parse(html)
    assert error_summary(page) == [("", "Wrong password.")]
    assert select(page, "a") == []
