"""The public speaker page: who they are, how their published claims were rated, their
fact-checks and their quotes over time."""

from __future__ import annotations

import datetime
import json

import lxml.html
import pytest
from django.db.models import Count
from django.test import Client

from claims.models import Claim, FactCheck, Rating, Speaker, Verdict
from claims.workflow import verdict_retract

from .builders import publish, published_row
from .factories import AliasFactory, ArticleFactory, ClaimFactory, QuoteFactory, SpeakerFactory

# Quotes show on a public page only from articles published on the web (with an address).
WEB = "https://news.example.org/"

pytestmark = pytest.mark.django_db

START = datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC)


def published(speaker: Speaker, rating: str, count: int = 1, *, author, approver, prefix: str = "") -> list[Claim]:
    """`count` published fact-checks of `speaker`'s claims rated `rating`, made quickly
    (the full workflow is walked in the retraction test)."""
    claims = []
    for n in range(count):
        claim = ClaimFactory(
            speaker=speaker,
            status=Claim.Status.PUBLISHED,
            slug=f"{prefix or speaker.slug}-{rating}-{n}",
            text=f"{prefix or speaker.name} claim rated {rating}, number {n}.",
        )
        published_row(
            claim,
            author=author,
            approver=approver,
            rating=rating,
            headline=f"{rating} {n}",
            published_at=START + datetime.timedelta(days=n),
        )
        claims.append(claim)
    return claims


def page(speaker: Speaker, query: str = "") -> lxml.html.HtmlElement:
    response = Client().get(f"/speakers/{speaker.slug}/{query}")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def chart_values(doc: lxml.html.HtmlElement) -> dict[str, float]:
    """Rating label → the number the ratings chart draws."""
    marks = doc.xpath('//section[@aria-labelledby="ratings-heading"]//svg//g[@data-label]')
    return {mark.get("data-label"): float(mark.get("data-value")) for mark in marks}


def table_values(doc: lxml.html.HtmlElement) -> dict[str, float]:
    rows = doc.xpath('//table[@class="counts"]/tbody/tr')
    return {row.xpath("string(th)").strip(): float(row.xpath("string(td)")) for row in rows}


@pytest.fixture
def jane(editor, second_editor, reviewer):
    """Jane, rated False three times, True twice and Mostly false once; beside her, a
    fact-check of someone else, a retracted one of hers and a draft of hers."""
    jane = SpeakerFactory(name="Jane Minister", slug="jane-minister", role="Finance Minister", organisation="Treasury")
    published(jane, "false", 3, author=reviewer, approver=second_editor)
    published(jane, "true", 2, author=reviewer, approver=second_editor)
    published(jane, "mostly-false", 1, author=reviewer, approver=second_editor)
    other = SpeakerFactory(name="Olaf Other", slug="olaf-other")
    published(other, "half-true", 4, author=reviewer, approver=second_editor)

    retracted = ClaimFactory(speaker=jane, text="RETRACTED-CLAIM exports tripled.")
    verdict = publish(retracted, reviewer=reviewer, editor=editor, approver=second_editor, rating="misleading")
    verdict_retract(verdict=verdict, by=editor, reason="Wrong figures")

    draft = ClaimFactory(speaker=jane, text="DRAFT-CLAIM inflation is zero.")
    Verdict.objects.create(
        claim=draft, rating=Rating.objects.get(slug="unverifiable"), headline="x", analysis="x", author=reviewer
    )
    return jane


def test_the_chart_draws_the_counts_the_database_holds(jane):
    doc = page(jane)
    counted = dict(
        FactCheck.objects.published()
        .filter(claim__speaker=jane)
        .values("verdict__rating__label")
        .annotate(n=Count("pk"))
        .values_list("verdict__rating__label", "n")
    )
    expected = {rating.label: counted.get(rating.label, 0) for rating in Rating.objects.all()}
    assert chart_values(doc) == expected
    assert table_values(doc) == expected
    assert expected["False"] == 3 and expected["True"] == 2 and expected["Mostly false"] == 1


def test_every_rating_of_the_scale_is_drawn_in_order_with_zeros(jane):
    doc = page(jane)
    scale = list(Rating.objects.order_by("order").values_list("label", "colour"))
    marks = doc.xpath('//section[@aria-labelledby="ratings-heading"]//svg//g[@data-label]')
    assert [(m.get("data-label"), m.xpath("rect")[0].get("fill")) for m in marks] == scale
    values = chart_values(doc)
    assert values["Half true"] == values["Misleading"] == values["Unverifiable"] == values["Mostly true"] == 0
    description = doc.xpath('string(//section[@aria-labelledby="ratings-heading"]//svg/desc)')
    assert "Half true: 0" in description and "False: 3" in description


def test_retracted_and_unpublished_verdicts_are_neither_listed_nor_counted(jane):
    doc = page(jane)
    text = doc.text_content()
    assert "RETRACTED-CLAIM" not in text and "DRAFT-CLAIM" not in text
    assert chart_values(doc)["Misleading"] == 0 and chart_values(doc)["Unverifiable"] == 0
    assert "6 published fact-checks" in text


def test_other_speakers_fact_checks_stay_on_their_own_page(jane):
    doc = page(jane)
    assert "Olaf Other" not in doc.text_content()
    assert chart_values(doc)["Half true"] == 0
    links = doc.xpath('//section[@aria-labelledby="fact-checks-heading"]//a/@href')
    assert len(links) == 6 and all(href.startswith("/fact-checks/jane-minister-") for href in links)
    assert chart_values(page(Speaker.objects.get(slug="olaf-other")))["Half true"] == 4


def test_the_page_shows_who_the_speaker_is(jane):
    AliasFactory(speaker=jane, alias="J. Minister")
    jane.wikidata_id = "Q42"
    jane.save()
    doc = page(jane)
    text = doc.text_content()
    for expected in ("Jane Minister", "Finance Minister", "Treasury", "Person", "J. Minister"):
        assert expected in text
    assert doc.xpath('//a[@href="https://www.wikidata.org/wiki/Q42"]')
    assert doc.xpath('//link[@rel="canonical"]/@href') == ["https://factcheck.example.org/speakers/jane-minister/"]
    [data] = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')]
    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "url": "https://factcheck.example.org/speakers/jane-minister/",
        "name": "Jane Minister",
        "jobTitle": "Finance Minister",
        "affiliation": {"@type": "Organization", "name": "Treasury"},
        "alternateName": ["J. Minister"],
        "sameAs": "https://www.wikidata.org/wiki/Q42",
    }


def test_an_organisation_is_described_as_one():
    union = SpeakerFactory(name="Teachers' Union", slug="teachers-union", kind=Speaker.Kind.ORGANISATION)
    [data] = [json.loads(s) for s in page(union).xpath('//script[@type="application/ld+json"]/text()')]
    assert data["@type"] == "Organization" and data["name"] == "Teachers' Union"
    assert "jobTitle" not in data


def test_a_speaker_without_fact_checks_or_quotes_still_has_a_page():
    nobody = SpeakerFactory(name="New Voice", slug="new-voice")
    doc = page(nobody)
    assert set(chart_values(doc).values()) == {0}
    assert "not published a fact-check" in doc.text_content()
    assert "No quotes" in doc.text_content()


def test_an_unknown_speaker_is_not_found():
    assert Client().get("/speakers/nobody-at-all/").status_code == 404


def test_fact_checks_are_listed_newest_first_with_rating_and_date(jane, settings):
    settings.PUBLIC_PAGE_SIZE = 4
    doc = page(jane)
    items = doc.xpath('//section[@aria-labelledby="fact-checks-heading"]//li')
    assert len(items) == 4
    dates = [item.xpath("string(.//time/@datetime)") for item in items]
    assert dates == sorted(dates, reverse=True)
    assert items[0].xpath('string(.//span[@class="rating"])') in {"False", "True", "Mostly false"}
    assert "Page 1 of 2" in doc.text_content()
    second = page(jane, "?page=2")
    assert len(second.xpath('//section[@aria-labelledby="fact-checks-heading"]//li')) == 2


def test_quotes_are_listed_newest_first_with_their_article_and_a_monthly_chart():
    speaker = SpeakerFactory(name="Quoted Person", slug="quoted-person")
    old = ArticleFactory(title="Old story", outlet="The Gazette", published_at=START, url=f"{WEB}old")
    new = ArticleFactory(
        title="New story", outlet="The Herald", published_at=START + datetime.timedelta(days=65), url=f"{WEB}new"
    )
    undated = ArticleFactory(
        title="Undated story", published_at=None, created_at=START + datetime.timedelta(days=40), url=f"{WEB}undated"
    )
    QuoteFactory(speaker=speaker, article=old, text="OLD-QUOTE")
    QuoteFactory(speaker=speaker, article=new, text="NEW-QUOTE")
    QuoteFactory(speaker=speaker, article=new, text="NEW-QUOTE-2", start=20, end=30)
    QuoteFactory(speaker=speaker, article=undated, text="UNDATED-QUOTE")
    QuoteFactory(article=new, text="SOMEONE-ELSE")
    doc = page(speaker)
    items = doc.xpath('//section[@aria-labelledby="quotes-heading"]//li')
    texts = [item.xpath('string(.//p[@class="quote-text"])') for item in items]
    assert [t.strip("“”") for t in texts][2:] == ["UNDATED-QUOTE", "OLD-QUOTE"]
    assert "SOMEONE-ELSE" not in doc.text_content()
    assert "New story" in items[0].text_content() and "The Herald" in items[0].text_content()
    assert "19 February 2024" in items[2].text_content()  # the article's creation, for want of a date
    assert "4 quotes" in doc.text_content()
    columns = doc.xpath('//figure[@class="quotes-chart"]//rect[@data-value]')
    assert {c.get("data-label"): c.get("data-value") for c in columns} == {
        "Jan 2024": "1",
        "Feb 2024": "1",
        "Mar 2024": "2",
    }


def test_quotes_page_through_without_losing_the_fact_check_page(settings):
    settings.PUBLIC_PAGE_SIZE = 2
    speaker = SpeakerFactory(slug="talkative")
    for n in range(5):
        QuoteFactory(
            speaker=speaker,
            text=f"QUOTE-{n}",
            article__published_at=START + datetime.timedelta(days=n),
            article__url=f"{WEB}q{n}",
        )
    doc = page(speaker, "?page=1")
    assert [q.strip("“”") for q in doc.xpath('//p[@class="quote-text"]/text()')] == ["QUOTE-4", "QUOTE-3"]
    [older] = doc.xpath('//nav[@aria-label="Quote pages"]/a[@rel="next"]/@href')
    assert "quotes=2" in older and "page=1" in older
    last = page(speaker, "?quotes=3")
    assert [q.strip("“”") for q in last.xpath('//p[@class="quote-text"]/text()')] == ["QUOTE-0"]


def test_the_page_costs_the_same_queries_for_one_fact_check_or_many(
    editor, second_editor, reviewer, django_assert_num_queries
):
    few = SpeakerFactory(slug="few")
    published(few, "false", 1, author=reviewer, approver=second_editor)
    QuoteFactory(speaker=few, article__url=f"{WEB}few")
    AliasFactory(speaker=few)
    many = SpeakerFactory(slug="many")
    for rating in ("true", "false", "misleading", "half-true"):
        published(many, rating, 8, author=reviewer, approver=second_editor)
    for n in range(30):
        QuoteFactory(
            speaker=many, article__published_at=START + datetime.timedelta(days=9 * n), article__url=f"{WEB}m{n}"
        )
    for _ in range(3):
        AliasFactory(speaker=many)
    # speaker, aliases, the scale, rating counts, quotes per month, and a count and a page
    # of fact-checks and of quotes
    with django_assert_num_queries(9):
        page(few)
    with django_assert_num_queries(9):
        doc = page(many)
    assert sum(chart_values(doc).values()) == 32


def test_names_and_text_are_escaped():
    speaker = SpeakerFactory(name="<script>alert(1)</script>", slug="scripted", role="<b>Boss</b>")
    AliasFactory(speaker=speaker, alias="<img src=x onerror=alert(2)>")
    QuoteFactory(speaker=speaker, text="</script><script>alert(3)</script>", article__url=f"{WEB}xss")
    response = Client().get("/speakers/scripted/")
    html = response.content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>Boss" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("string(//h1)") == "<script>alert(1)</script>"
    [data] = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')]
    assert data["name"] == "<script>alert(1)</script>"
    assert data["alternateName"] == ["<img src=x onerror=alert(2)>"]


def test_the_fact_check_page_and_the_index_link_to_the_speaker(jane):
    claim = Claim.objects.filter(speaker=jane, fact_check__status="published").first()
    for url in (f"/fact-checks/{claim.slug}/", "/fact-checks/"):
        doc = lxml.html.fromstring(Client().get(url).content)
        assert doc.xpath('//a[@href="/speakers/jane-minister/"]'), url
