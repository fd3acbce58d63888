"""Charts drawn on the server: the numbers in the marks are the numbers given, text is
escaped, and zeros and empty input still make a valid picture."""

from __future__ import annotations

import lxml.etree

from claims.charts import Bar, Series, columns, horizontal_bars, tick_step

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> lxml.etree._Element:
    root = lxml.etree.fromstring(svg.encode())  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    return root


def bar_values(root) -> dict[str, str]:
    return {g.get("data-label"): g.get("data-value") for g in root.iter(f"{SVG}g") if g.get("data-label")}


def test_each_bar_carries_the_value_it_was_given():
    bars = [Bar("True", 3, "#1a7f37"), Bar("False", 12, "#c62828"), Bar("Half", 2.5), Bar("Many", 24)]
    root = parse(horizontal_bars(bars, title="Ratings"))
    assert bar_values(root) == {"True": "3", "False": "12", "Half": "2.5", "Many": "24"}
    widths = {g.get("data-label"): float(g.find(f"{SVG}rect").get("width")) for g in root.iter(f"{SVG}g")}
    assert widths["Many"] == 2 * widths["False"] and widths["False"] > widths["True"] > widths["Half"]
    assert [r.get("fill") for r in root.iter(f"{SVG}rect")] == ["#1a7f37", "#c62828", "#3b6ea5", "#3b6ea5"]


def test_thousands_are_grouped_for_reading_but_not_in_data_value():
    root = parse(horizontal_bars([Bar("Many", 1234)], title="t"))
    assert bar_values(root) == {"Many": "1234"}
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Many", "1,234"]


def test_bars_tell_their_numbers_to_screen_readers():
    root = parse(horizontal_bars([Bar("True", 3), Bar("False", 0)], title="Ratings of Jane"))
    assert root.get("role") == "img" and root.get("aria-label") == "Ratings of Jane"
    assert root.findtext(f"{SVG}title") == "Ratings of Jane"
    assert root.findtext(f"{SVG}desc") == "True: 3; False: 0"


def test_a_zero_bar_is_drawn_with_no_length_but_keeps_its_label_and_value():
    root = parse(horizontal_bars([Bar("True", 0), Bar("False", 5)], title="t"))
    [zero] = [g for g in root.iter(f"{SVG}g") if g.get("data-label") == "True"]
    assert zero.get("data-value") == "0"
    assert float(zero.find(f"{SVG}rect").get("width")) == 0
    assert [t.text for t in zero.iter(f"{SVG}text")] == ["True", "0"]


def test_all_zero_bars_do_not_divide_by_zero():
    root = parse(horizontal_bars([Bar("True", 0), Bar("False", 0)], title="t"))
    assert bar_values(root) == {"True": "0", "False": "0"}


def test_no_bars_still_make_an_svg():
    root = parse(horizontal_bars([], title="Nothing yet"))
    assert bar_values(root) == {}
    assert root.findtext(f"{SVG}title") == "Nothing yet"
    assert float(root.get("viewBox").split()[3]) > 0


def test_bar_text_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    svg = horizontal_bars([Bar(evil, 1, '"><script>')], title=evil)
    assert "<script>" not in svg
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == evil
    assert list(bar_values(root)) == [evil]
    assert root.find(f".//{SVG}rect").get("fill") == '"><script>'


def test_each_column_carries_its_label_series_and_value():
    labels = ["Jan", "Feb", "Mar"]
    series = [Series("Quotes", [4, 0, 7], "#3b6ea5"), Series("Claims", [1, 2, 0], "#c62828")]
    root = parse(columns(labels, series, title="Per month"))
    found = {(r.get("data-series"), r.get("data-label")): r.get("data-value") for r in root.iter(f"{SVG}rect")}
    found.pop((None, None))  # the legend's swatches
    assert found == {
        ("Quotes", "Jan"): "4",
        ("Quotes", "Feb"): "0",
        ("Quotes", "Mar"): "7",
        ("Claims", "Jan"): "1",
        ("Claims", "Feb"): "2",
        ("Claims", "Mar"): "0",
    }
    zero = next(r for r in root.iter(f"{SVG}rect") if (r.get("data-series"), r.get("data-label")) == ("Quotes", "Feb"))
    assert float(zero.get("height")) == 0
    assert root.findtext(f"{SVG}desc") == "Quotes: Jan 4, Feb 0, Mar 7; Claims: Jan 1, Feb 2, Mar 0"


def test_columns_with_no_data_or_only_zeros_still_make_an_svg():
    empty = parse(columns([], [Series("Quotes", [], "#000")], title="Nothing"))
    assert [r for r in empty.iter(f"{SVG}rect") if r.get("data-value")] == []
    zeros = parse(columns(["Jan", "Feb"], [Series("Quotes", [0, 0], "#000")], title="Zeros"))
    assert [r.get("data-value") for r in zeros.iter(f"{SVG}rect") if r.get("data-value")] == ["0", "0"]


def test_column_text_is_escaped():
    evil = "<b>&bold</b>"
    svg = columns([evil], [Series(evil, [1], "#000")], title=evil)
    assert "<b>" not in svg
    root = parse(svg)
    [mark] = [r for r in root.iter(f"{SVG}rect") if r.get("data-value")]
    assert (mark.get("data-label"), mark.get("data-series")) == (evil, evil)
    assert mark.findtext(f"{SVG}title") == f"{evil}, {evil}: 1"


def test_tick_steps_are_round_and_reach_the_top():
    for highest, step in [(0, 1), (3, 1), (7, 2), (18, 5), (40, 10), (950, 500)]:
        assert tick_step(highest) == step
        assert step * 4 >= highest


def test_the_axis_ends_at_the_first_round_tick_over_the_peak():
    svg = columns(["May"], [Series("Quotes", [9], "#333")], title="Quotes")
    assert ">10</text>" in svg and ">20</text>" not in svg
