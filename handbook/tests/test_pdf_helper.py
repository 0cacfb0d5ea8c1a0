import pytest

from portal.pdf import RefusedURL, page_counter_css, static_path_for, static_url_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.css",
        "https://example.org/x.css",
        "/etc/passwd",
        "/static/../config/settings/base.py",
        "/static/portal/does-not-exist.css",
    ],
)
def test_the_pdf_url_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(RefusedURL):
        static_url_fetcher().fetch(url)


def test_the_pdf_url_fetcher_serves_a_static_file():
    response = static_url_fetcher().fetch("/static/portal/css/portal.css")

    assert b"portal" in response.read()
    assert static_path_for("/static/portal/logo.svg").name == "logo.svg"


def test_page_counter_css_from_a_translated_text():
    assert page_counter_css("pagina %(page)s van %(pages)s") == (
        '"pagina " counter(page) " van " counter(pages)'
    )
