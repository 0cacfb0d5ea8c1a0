"""The CSV helpers every export uses: BOM, delimiter, CRLF, no formulas."""

from portal.spreadsheets import csv_lines, text_cell


def test_csv_lines_start_with_the_bom_and_end_lines_with_crlf():
    lines = list(csv_lines(["a", "b"], [["1", "2"]]))

    assert lines == ["\ufeffa;b\r\n", "1;2\r\n"]


def test_csv_lines_take_another_delimiter():
    assert "".join(csv_lines(["a", "b"], [], delimiter=",")) == "\ufeffa,b\r\n"


def test_a_text_that_excel_would_run_as_a_formula_is_quoted():
    assert [text_cell(v) for v in ("=SUM(A1)", "+31", "-", "@x", "Jan", None, 7)] == [
        "'=SUM(A1)",
        "'+31",
        "'-",
        "'@x",
        "Jan",
        "",
        "7",
    ]
