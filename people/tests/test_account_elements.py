"""django-allauth's pages (log-in, two-factor authentication, password) render through
its element templates; the portal's versions (templates/allauth/elements/) give them
NL Design System markup, with fields as the crispy pack renders them (issue 22)."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.template.base import Origin

from portal.testing.html import attribute, parse, select


def render(source: str, **context) -> str:
    template = Template(
        "{% load allauth %}" + source, origin=Origin(name="test.html", template_name="test.html")
    )
    return template.render(Context(context))


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", help_text="Six digits from the app.")
    remember = forms.BooleanField(label="Remember me", required=False)


def test_a_danger_button_is_an_nl_design_system_danger_button():
    page = parse(render('{% element button tags="danger" %}Deactivate{% endelement %}'))

    assert attribute(page, "button", "class").split() == [
        "utrecht-button",
        "utrecht-button--primary-action",
        "utrecht-button--danger",
    ]
    assert attribute(page, "button", "type") == "submit"


def test_a_button_tagged_as_a_link_looks_like_a_link_but_stays_a_button():
    page = parse(render('{% element button tags="link" type="button" %}Cancel{% endelement %}'))

    assert (
        attribute(page, "button", "class") == "utrecht-link-button utrecht-link-button--html-button"
    )
    assert attribute(page, "button", "type") == "button"


def test_a_link_element_is_a_button_link():
    page = parse(
        render('{% element button href="/account/" tags="secondary" %}Back{% endelement %}')
    )

    assert attribute(page, "a[href='/account/']", "class").split() == [
        "utrecht-button-link",
        "utrecht-button-link--html-a",
        "utrecht-button-link--secondary-action",
    ]


def test_an_allauth_table_scrolls_inside_its_own_container_with_table_classes():
    page = parse(
        render(
            "{% element table %}{% element thead %}{% element tr %}{% element th %}Type"
            "{% endelement %}{% endelement %}{% endelement %}{% element tbody %}{% element tr %}"
            "{% element td %}TOTP{% endelement %}{% endelement %}{% endelement %}{% endelement %}"
        )
    )

    assert select(page, ".utrecht-table-container > table.utrecht-table.utrecht-table--html-table")
    assert select(
        page,
        "thead.utrecht-table__header > tr.utrecht-table__row"
        " > th.utrecht-table__header-cell[scope=col]",
    )
    assert select(
        page, "tbody.utrecht-table__body > tr.utrecht-table__row > td.utrecht-table__cell"
    )


def test_a_forms_field_has_a_visible_label_and_its_hint_and_error_tied_to_it():
    form = CodeForm(data={})
    form.is_valid()

    page = parse(render("{% element fields form=form unlabeled=True %}{% endelement %}", form=form))

    assert select(page, ".utrecht-form-field--invalid label.utrecht-form-label[for=id_code]")
    assert attribute(page, "#id_code", "aria-describedby").split() == [
        "id_code_helptext",
        "id_code_error",
    ]
    assert attribute(page, "#id_code", "aria-invalid") == "true"
    assert "utrecht-textbox" in attribute(page, "#id_code", "class").split()
    assert select(page, ".utrecht-form-field-description#id_code_helptext")
    assert select(page, ".utrecht-form-field-error-message#id_code_error")
    assert select(
        page, ".utrecht-form-field--checkbox label.utrecht-form-label--checkbox[for=id_remember]"
    )


def test_a_hand_built_field_ties_its_hint_and_error_to_the_control():
    page = parse(
        render(
            '{% element field id="id_email" name="email" type="email" errors="Enter an address." %}'
            "{% slot label %}E-mail{% endslot %}{% slot help_text %}Your work address.{% endslot %}"
            "{% endelement %}"
        )
    )

    assert select(page, "label.utrecht-form-label[for=id_email]")
    assert attribute(page, "#id_email", "aria-describedby").split() == [
        "id_email_helptext",
        "id_email_error",
    ]
    assert attribute(page, "#id_email", "aria-invalid") == "true"
    assert select(page, ".utrecht-form-field-error-message#id_email_error")


def test_an_alert_is_an_nl_design_system_alert_with_its_message():
    page = parse(
        render(
            '{% element alert tags="error" %}'
            "{% slot message %}Wrong code.{% endslot %}{% endelement %}"
        )
    )

    assert select(
        page,
        ".utrecht-alert.utrecht-alert--error[role=status]"
        " .utrecht-alert__content .utrecht-alert__message",
    )
