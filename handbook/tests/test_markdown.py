from django.template import Context, Template

from portal.templatetags.markdown import render_markdown


def test_markdown_renders_basic_formatting():
    html = render_markdown("Dit is **vet** en *schuin*.\n\n- een\n- twee")

    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<ul>" in html and "<li>een</li>" in html


def test_markdown_keeps_links_with_href_only():
    html = render_markdown('[site](https://voorbeeldstad.nl "titel")')

    assert 'href="https://voorbeeldstad.nl"' in html
    assert "title=" not in html


def test_markdown_removes_scripts_and_unsafe_links():
    html = render_markdown(
        "<script>alert(1)</script>\n\n[klik](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    )

    assert "<script" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "onerror" not in html


def test_markdown_drops_tags_outside_the_allowed_set():
    html = render_markdown("# Kop\n\n<table><tr><td>x</td></tr></table>")

    assert "<h1" not in html
    assert "<table" not in html


def test_markdown_filter_in_a_template():
    rendered = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "**Let op**"})
    )

    assert rendered == "<p><strong>Let op</strong></p>"
