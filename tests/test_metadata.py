"""An article page's own metadata: publication date and time (never a copyright year),
titles without the site's name, bylines without dates and job titles."""

from __future__ import annotations

import datetime

import pytest

from claims import services
from claims.metadata import byline_clean, page_published_at, title_trim

BODY = """<article><h1>Harbour rents</h1><p>Rents in the harbour district rose by 9% last year,
the council said on Monday, the fastest rise in a decade.</p><p>Tenants' groups questioned
the figure and asked for the underlying survey to be published in full.</p></article>"""


def page(head: str = "", footer: str = "<footer>© 2026 Harbour Gazette. All rights reserved.</footer>") -> str:
    return f"<!doctype html><html><head><title>Harbour rents</title>{head}</head><body>{BODY}{footer}</body></html>"


def test_the_date_and_time_come_from_the_page_metadata():
    html = page('<meta property="article:published_time" content="2024-09-30T08:15:00+02:00">')
    moment = page_published_at(html)
    assert moment == datetime.datetime(2024, 9, 30, 6, 15, tzinfo=datetime.UTC)


def test_json_ld_date_published_is_read():
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-12T17:40:00Z"}</script>'
    )
    assert page_published_at(html) == datetime.datetime(2024, 3, 12, 17, 40, tzinfo=datetime.UTC)


def test_a_copyright_footer_is_never_the_publication_date():
    assert page_published_at(page()) is None


def test_a_date_written_in_the_text_is_still_found_past_the_copyright_footer():
    html = page().replace("<h1>Harbour rents</h1>", "<h1>Harbour rents</h1><p>Posted 12 March 2025</p>")
    assert page_published_at(html) == datetime.datetime(2025, 3, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        ("Harbour rents rose 9% | Harbour Gazette", "Harbour Gazette", "", "Harbour rents rose 9%"),
        ("Five stretches to try – The Fitness Blog", "", "https://www.fitness.example.com/x", "Five stretches to try"),
        ("Harbour Gazette - Harbour rents rose 9%", "Harbour Gazette", "", "Harbour rents rose 9%"),
        (
            "Rents: what the figures say | Opinion | Harbour Gazette",
            "Harbour Gazette",
            "",
            "Rents: what the figures say | Opinion",
        ),
        ("Ferries - a history of delays", "Harbour Gazette", "", "Ferries - a history of delays"),
        ("Harbour Gazette", "Harbour Gazette", "", "Harbour Gazette"),
        ("News | Gazette Online", "", "https://gazette.example.co.uk/a", "News"),
    ],
)
def test_the_site_name_is_trimmed_from_titles(title, sitename, url, expected):
    assert title_trim(title, sitename=sitename, url=url) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Carrie Lane November 12, 2024", "Carrie Lane"),
        ("Carrie Lane November", "Carrie Lane"),
        ("Tom Gill News reporter", "Tom Gill"),
        ("By Tom Gill, Political correspondent", "Tom Gill"),
        ("Admin", ""),
        ("Staff reporter", ""),
        ("Ana Lima; Rui Costa", "Ana Lima; Rui Costa"),
        ("By Ana Lima and Rui Costa", "Ana Lima; Rui Costa"),
        ("June Park", "June Park"),
        ("Jane Reporter", "Jane Reporter"),
        ("desk@example.org", ""),
    ],
)
def test_bylines_keep_only_names(byline, expected):
    assert byline_clean(byline) == expected


def test_an_uploaded_page_keeps_its_metadata_clean():
    html = page(
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta name="author" content="Carrie Lane November 12, 2024">'
        '<meta property="article:published_time" content="2024-09-30T08:15:00Z">'
    ).replace("<title>Harbour rents</title>", "<title>Harbour rents | Harbour Gazette</title>")
    extracted = services.html_to_article(html)
    assert (extracted.title, extracted.byline, extracted.outlet) == ("Harbour rents", "Carrie Lane", "Harbour Gazette")
    assert extracted.published_at == datetime.datetime(2024, 9, 30, 8, 15, tzinfo=datetime.UTC)


def test_an_uploaded_page_with_only_a_copyright_year_has_no_date():
    assert services.html_to_article(page()).published_at is None
