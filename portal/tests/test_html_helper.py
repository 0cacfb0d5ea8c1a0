"""portal.testing.html: the page tests' way to read HTML."""

import pytest
from django.http import HttpResponse, StreamingHttpResponse

from portal.testing.html import (
    attribute,
    error_summary,
    links,
    one,
    parse,
    select,
    text_of,
    texts,
)

PAGE = """<!doctype html>
<html lang="nl"><body>
  <!-- <h1>Not a heading</h1> -->
  <script>const markup = '<a href="/in-a-script/">x</a>';</script>
  <h1 class="title">Tip
     <span class="visually-hidden">3 van</span> 11</h1>
  <nav><a href="/tips/2/">Vorige</a><a href="/tips/3/" aria-current="page">3</a></nav>
  <input id="id_code" aria-describedby="id_code_hint" required>
  <div id="error-summary"><ul>
    <li><a href="#id_code">Vul de code in.</a></li><li>Probeer het later.</li>
  </ul></div>
  <table><tr><th>Naam</th></tr><tr><td>Jan</td></tr><tr><td>Piet</td></tr></table>
</body></html>"""


def test_a_heading_in_a_comment_or_a_script_is_not_an_element():
    page = parse(PAGE)

    assert texts(page, "h1") == ["Tip 3 van 11"]
    assert links(page) == ["/tips/2/", "/tips/3/", "#id_code"]


def test_text_is_read_with_whitespace_collapsed():
    assert text_of(parse(PAGE), "h1.title") == "Tip 3 van 11"


def test_one_fails_when_nothing_or_several_elements_match():
    page = parse(PAGE)

    with pytest.raises(AssertionError, match="found 0"):
        one(page, "h2")
    with pytest.raises(AssertionError, match="found 3"):
        one(page, "tr")


def test_an_attribute_is_its_value_empty_without_one_and_none_when_missing():
    page = parse(PAGE)

    assert attribute(page, "#id_code", "aria-describedby") == "id_code_hint"
    assert attribute(page, "#id_code", "required") == ""
    assert attribute(page, "#id_code", "aria-invalid") is None


def test_links_are_read_within_what_the_selector_picks():
    page = parse(PAGE)

    assert links(page, "nav") == ["/tips/2/", "/tips/3/"]
    assert attribute(page, "a[aria-current=page]", "href") == "/tips/3/"


def test_the_error_summary_lists_each_problem_with_its_target():
    assert error_summary(parse(PAGE)) == [
        ("#id_code", "Vul de code in."),
        ("", "Probeer het later."),
    ]


def test_a_response_is_parsed_from_its_content_as_utf8():
    page = parse(HttpResponse("<p>Één regel</p>".encode()))

    assert [len(select(page, "p")), text_of(page, "p")] == [1, "Één regel"]


def test_a_streaming_response_is_refused():
    with pytest.raises(TypeError):
        parse(StreamingHttpResponse(iter([b"<p>x</p>"])))
