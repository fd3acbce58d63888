""" "Already checked?": the query normalised as it arrives, ranked candidates found through
the stemmed full-text index (SQLite FTS5 or PostgreSQL), the claim page's block, and
search that finds any word order and form with escaped highlights."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.urls import reverse

from claims import matching, retrieval, tasks
from claims.models import ClaimMatch

from .builders import publish
from .factories import ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_term_statistics():
    """Each test starts without the table statistics a process keeps, and leaves none behind
    for the next (a failed assertion included): they would be another database's."""
    matching._statistics.clear()
    yield
    matching._statistics.clear()


TWEET = (
    "Wow!! @CityHallNews says the #HarbourTunnel will cost “twice” the estimate https://t.co/AbC123 "
    "pic.twitter.com/xYz987 — Jo Bloggs (@jobloggs_77) March 3, 2021"
)


# Normalisation ------------------------------------------------------------------------------


def test_a_tweet_loses_links_quotation_marks_and_its_signatures_handle_and_date_and_keeps_its_words():
    text = retrieval.text_normalise(TWEET)
    assert "http" not in text and "pic.twitter" not in text and "jobloggs" not in text and "March" not in text
    assert "“" not in text and "”" not in text
    assert "City Hall News" in text and "Harbour Tunnel" in text and "twice" in text


def test_the_name_in_a_posts_signature_stays_because_who_said_it_is_part_of_the_claim():
    text = retrieval.text_normalise("Ferry fares will triple next year — Ana Ruiz (@ana_r) May 2, 2022")
    assert text.endswith("Ana Ruiz") and "ana_r" not in text and "2022" not in text


def test_a_picture_link_glued_to_a_hashtag_goes_and_the_hashtag_stays():
    assert retrieval.text_normalise("Floods today #RiverTownpic.twitter.com/Ab12Cd") == "Floods today River Town"


def test_query_terms_drop_function_words_and_repeats_of_one_stem():
    terms = retrieval.query_terms("The tunnels and the tunnel were not built by the council in 2019")
    assert terms == ["tunnels", "built", "council", "2019"]


def test_numbers_are_compared_without_thousands_separators():
    assert retrieval.numbers("It cost 1,500 pounds, 2.50 each, in 2019") == {"1500", "2.5", "2019"}


# Candidate generation ---------------------------------------------------------------------


def _find(text: str) -> list[int]:
    return [hit.id for hit in matching.candidates_find(text=text)]


def test_a_paraphrase_with_other_word_forms_finds_the_earlier_claim():
    earlier = ClaimFactory(text="The council closed three libraries after cutting its budget.")
    ClaimFactory(text="Bus fares in the region doubled over the decade.")
    assert _find("Budget cuts forced the council to close libraries")[:1] == [earlier.pk]


def test_a_tweet_with_a_link_and_a_handle_finds_the_claim_it_repeats():
    earlier = ClaimFactory(text="The harbour tunnel will cost twice the original estimate.")
    ClaimFactory(text="The new stadium will cost less than the estimate, the mayor said.")
    assert _find(TWEET)[:1] == [earlier.pk]


def test_a_claim_sharing_only_its_figures_is_a_candidate_and_says_so():
    earlier = ClaimFactory(text="Joblessness dropped to 4.7% during 2018.")
    hits = matching.candidates_find(text="Unemployment fell to 4.7 percent in 2018")
    assert hits and hits[0].id == earlier.pk
    assert any(reason.startswith("same figures: 4, 7, 2018") or "2018" in reason for reason in hits[0].reasons)


def test_a_post_with_a_picture_prefers_the_check_of_what_a_photograph_shows():
    photo = ClaimFactory(text="A photograph shows the river bridge under water after the storm.")
    ClaimFactory(text="The river bridge was under water after the storm, officials said.")
    assert _find("The river bridge is under water after the storm pic.twitter.com/Zx81Qp")[:1] == [photo.pk]


def test_an_earlier_claim_is_found_by_its_statement_as_checked_too():
    restated = ClaimFactory(
        text="“We did what we promised,” she told the crowd on Friday.",
        statement="The county finished the ring road two years early.",
    )
    ClaimFactory(text="The county roads budget was cut by a third.")
    assert _find("Ring road finished early by the county")[:1] == [restated.pk]


def test_bm25_weighs_a_rare_shared_word_above_a_common_one():
    statistics = retrieval.Statistics(rows=1000, mean=8, docs={"ferri": 3, "citi": 600, "fare": 40})
    ranked = retrieval.rerank(
        "City ferry fares",
        [(1, "The city raised parking fees and city fares", 0.0), (2, "The ferry timetable changed", 0.0)],
        statistics,
    )
    assert [hit.id for hit in ranked] == [2, 1]


def test_the_shipped_weights_match_the_features_the_app_computes():
    assert len(retrieval.model()) == len(retrieval.FEATURES)


def test_no_informative_word_means_no_lookup():
    assert matching.candidates_find(text="And then they said it was so!") == []


def test_matching_links_the_best_candidates_with_scores_and_only_close_ones_are_likely():
    earlier = ClaimFactory(text="The council closed three libraries after cutting its budget.")
    loosely = ClaimFactory(text="The council budget was debated for three hours on Monday.")
    new = ClaimFactory(text="Three libraries were closed by the council after budget cuts.")
    assert matching.claims_match(claim_ids=[new.pk]) >= 1
    links = list(ClaimMatch.objects.filter(claim=new).order_by("-score"))
    assert links[0].earlier_id == earlier.pk and links[0].score >= matching.LIKELY
    assert all(link.score < matching.LIKELY for link in links if link.earlier_id == loosely.pk)


def _an_articles_claims() -> list:
    ClaimFactory(text="The council closed three libraries after cutting its budget.")
    ClaimFactory(text="Bus fares in the region doubled over the decade.")
    ClaimFactory(text="The harbour tunnel will cost twice the original estimate.")
    first = ClaimFactory(text="Three libraries were closed by the council after budget cuts.")
    return [
        first,
        ClaimFactory(article=first.article, text="Regional bus fares have doubled in ten years."),
        ClaimFactory(article=first.article, text="And then they said it was so!"),
        ClaimFactory(article=first.article, text="The tunnel under the harbour costs double the estimate."),
    ]


def test_an_articles_claims_looked_up_together_find_what_each_finds_alone():
    claims = _an_articles_claims()
    queries = [(c.text, {"before": c.pk, "article": c.article_id}) for c in claims]
    with connection.cursor() as cursor:
        together = matching.candidates_find_many(queries=queries, where=matching.EARLIER_OPEN, cursor=cursor)
    alone = [
        matching.candidates_find(text=text, where=matching.EARLIER_OPEN, params=params) for text, params in queries
    ]
    assert together == alone
    assert together[0] and together[1] and together[2] == [] and together[3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lookups are sent together on PostgreSQL")
def test_matching_an_articles_claims_sends_one_lookup_for_all_of_them(django_assert_max_num_queries):
    claims = _an_articles_claims()
    matching.claims_match(claim_ids=[c.pk for c in claims])  # the table statistics, kept a while
    ClaimMatch.objects.all().delete()
    # the claims, their lookups, the links
    with django_assert_max_num_queries(3):
        assert matching.claims_match(claim_ids=[c.pk for c in claims]) >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row cap is PostgreSQL's lookup")
def test_past_the_row_cap_a_lookup_ranks_the_latest_rows_its_filter_finds(monkeypatch):
    older = [ClaimFactory(text=f"The ferry to Quillon Isle carries {n} cars a day.") for n in (10, 20)]
    newer = [ClaimFactory(text=f"The ferry to Quillon Isle carries {n} cars a day.") for n in (30, 40)]
    assert sorted(_find("Quillon Isle ferry cars")) == sorted(c.pk for c in older + newer)
    monkeypatch.setattr(matching, "FILTER_ROWS", (1, 2))
    assert sorted(_find("Quillon Isle ferry cars")) == sorted(c.pk for c in newer)


def test_the_filter_takes_the_rarest_terms_while_their_rows_fit_the_limit():
    # 1,000,000 rows: the limit is FILTER_ROWS[1] (2,000); "d" is rare, "a" would pass it.
    groups = matching._filter_groups(["a", "b", "c", "d"], [1500, 9000, 12000, 300], rows=1e6)
    assert groups == [("a",), ("d",)]
    assert matching._filter_groups(["a", "b"], [9000, None], rows=1e6) == [("b",)]  # unknown: rare


def test_when_even_the_rarest_term_is_crowded_the_filter_asks_for_two_of_the_three_rarest():
    # Every term in more than CROWDED times the limit's rows: a row holding the rarest alone
    # is no longer enough.
    groups = matching._filter_groups(["a", "b", "c", "d"], [20000, 9000, 12000, 9500], rows=1e6)
    assert groups == [("b", "c"), ("b", "d"), ("c", "d")]
    assert matching._filter_groups(["a", "b"], [20000, 9000], rows=1e6) == [("a", "b")]
    assert matching._filter_groups(["a"], [20000], rows=1e6) == [("a",)]  # one term: itself


def test_a_crowded_lookup_finds_rows_sharing_two_rare_terms_not_those_sharing_one(monkeypatch):
    # Through the database's own query syntax (FTS5's AND and OR, PostgreSQL's & and |).
    both = ClaimFactory(text="Tolvern ferry fares rose by half.")
    for n in range(6):  # each word of the query in 7 rows
        ClaimFactory(text=f"Tolvern market stall number {n} closed early.")
        ClaimFactory(text=f"Ferry timetables changed on route {n}.")
        ClaimFactory(text=f"Bus fares on line {n} were frozen.")
    monkeypatch.setattr(matching, "FILTER_ROWS", (1, 1))
    if connection.vendor == "postgresql":  # the statistics the filter reads its rows from
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claim")
    matching._statistics.clear()
    assert _find("Tolvern ferry fares") == [both.pk]
    monkeypatch.setattr(matching, "CROWDED", 100)
    matching._statistics.clear()
    # The rarest term alone: rows sharing only it come back (on PostgreSQL only the latest
    # FILTER_ROWS[1] of them are ranked, here one).
    assert set(_find("Tolvern ferry fares")) - {both.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lookup counts unlisted terms")
def test_an_unlisted_terms_rows_are_counted_once_while_the_tables_statistics_hold():
    ClaimFactory(text="The ferry to Quillon Isle carries 10 cars a day.")
    ClaimFactory(text="Quillon Isle has one harbour.")
    matching._statistics.clear()
    with connection.cursor() as cursor:
        shares, rows, mean = matching._term_statistics(cursor, "claims_claim")
    assert matching._counted("claims_claim") == {}  # a small table: counted each time, cheaply
    _find("Quillon ferry")
    assert matching._counted("claims_claim") == {}
    # Settled statistics (a large, analysed table) keep what the lookups counted.
    matching._statistics["claims_claim"] = (time.monotonic() + 600, shares, rows, mean, {})
    _find("Quillon ferry")
    assert matching._counted("claims_claim") == {"quillon": 2.0, "ferry": 1.0}
    matching._counted("claims_claim")["quillon"] = 999.0  # not counted again: this is what is used
    with connection.cursor() as cursor:
        assert matching._postgres_params(cursor, matching.CLAIMS, ["quillon", "ferry"])["docs"] == [999.0, 1.0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lookup counts unlisted terms")
def test_the_filter_goes_by_an_unlisted_terms_counted_rows_once_known():
    # A large analysed table (settled statistics) listing one common lexeme at 1%: an
    # unlisted term is taken to be in 1% of the rows until a lookup has counted it.
    statistics = (time.monotonic() + 600, {"harbour": 0.01}, 1e6, 10.0, {})
    matching._statistics["claims_claim"] = statistics
    with connection.cursor() as cursor:
        # Neither counted: both as common as the floor, which crowds the filter.
        assert matching._postgres_params(cursor, matching.CLAIMS, ["quillon", "ferry"])["match"] == "(quillon & ferry)"
        # Counted: "ferry" in 40 rows is the rarest, and "quillon" (5,000) would pass the limit.
        matching._counted("claims_claim").update({"quillon": 5000.0, "ferry": 40.0})
        assert matching._postgres_params(cursor, matching.CLAIMS, ["quillon", "ferry"])["match"] == "(ferry)"


def test_a_small_or_never_analysed_tables_statistics_are_read_again_soon():
    # A worker started on a new database must not rank with its first, empty picture of the
    # table for ten minutes while claims pour in.
    ClaimFactory(text="The ferry to Quillon Isle carries 10 cars a day.")
    matching._statistics.pop("claims_claim", None)
    with connection.cursor() as cursor:
        _, rows, _ = matching._term_statistics(cursor, "claims_claim")
    assert rows < 1000
    assert 0 < matching._statistics["claims_claim"][0] - time.monotonic() <= matching.UNSETTLED_FOR  # its expiry


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # ANALYZE: outside a transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics come from ANALYZE")
def test_the_matching_jobs_lookups_analyse_a_table_grown_past_its_statistics(monkeypatch):
    from django.db import transaction

    from claims.models import Claim

    monkeypatch.setattr(matching, "ANALYSE_AFTER", (20, 0.5))
    Claim.objects.bulk_create([Claim(text=f"Ferry {n} to Quillon Isle was cancelled.") for n in range(30)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # the rows changed, counted at once
    with matching.analysing(), transaction.atomic(), connection.cursor() as cursor:
        shares, _, _ = matching._term_statistics(cursor, "claims_claim")
    assert shares == {}  # never analysed: no lexeme listed, every term counts as rare
    matching._statistics.clear()
    with connection.cursor() as cursor:  # a page's lookups: not by the matching job
        shares, _, _ = matching._term_statistics(cursor, "claims_claim")
    assert shares == {}
    matching._statistics.clear()
    with matching.analysing(), connection.cursor() as cursor:
        shares, _, _ = matching._term_statistics(cursor, "claims_claim")
    assert shares["quillon"] == shares["ferri"] == 1.0  # in every row, as ANALYZE found


def test_only_the_matching_job_lets_its_lookups_analyse(monkeypatch):
    seen = []
    monkeypatch.setattr(matching, "claims_match", lambda claim_ids: seen.append(matching._analysing.get()) or 0)
    tasks.match_claims([])
    assert seen == [True] and matching._analysing.get() is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics list its own stems")
def test_a_terms_share_is_looked_up_by_postgresqls_own_stem():
    # PostgreSQL stems "added" to "ad", the Python stemmer to "add": the listed share of "ad"
    # is the term's, not the floor's (which would make it look rarer than every listed one).
    matching._statistics["claims_claim"] = (time.monotonic() + 600, {"ad": 0.05, "harbour": 0.01}, 1e6, 10.0, {})
    with connection.cursor() as cursor:
        params = matching._postgres_params(cursor, matching.CLAIMS, ["added", "harbour"])
    assert params["docs"] == [50_000.0, 10_000.0]


def test_a_growing_tables_statistics_are_kept_until_it_may_have_grown_by_half():
    # A busy pipeline adds about GROWTH claims a second: a table of 200,000 may hold 300,000
    # after 100 s, and its rows read then would make every term look a third rarer.
    assert matching._kept_for(200_000, unsettled=False) == 200_000 / 2 / matching.GROWTH
    assert matching._kept_for(2_000, unsettled=False) == matching.UNSETTLED_FOR  # not sooner
    assert matching._kept_for(5_000_000, unsettled=False) == matching.STATISTICS_FOR  # nor later
    assert matching._kept_for(5_000_000, unsettled=True) == matching.UNSETTLED_FOR


# Stored analyses ----------------------------------------------------------------------------


def test_a_saved_claim_keeps_the_analysis_of_its_text_and_statement_and_an_edit_renews_it():
    claim = ClaimFactory(text="Ferry fares rose 40% in 2023.", statement="")
    assert claim.analysis == retrieval.analysis_dump("Ferry fares rose 40% in 2023. ")
    claim.statement = "Ferry fares rose by two fifths."
    claim.save(update_fields=["statement"])
    claim.refresh_from_db()
    assert claim.analysis == retrieval.analysis_dump("Ferry fares rose 40% in 2023. Ferry fares rose by two fifths.")


def test_claims_stored_in_bulk_and_imported_fact_checks_keep_their_analysis_too():
    from claims.external.imports import claimreview_store
    from claims.models import Claim, ExternalFactCheck

    (claim,) = Claim.objects.bulk_create([Claim(text="The river ferry carried a million people.")])
    claim.refresh_from_db()
    assert claim.analysis == retrieval.analysis_dump("The river ferry carried a million people. ")
    item = {
        "@type": "ClaimReview",
        "url": "https://checks.example/ferry",
        "claimReviewed": "The ferry carried a million people",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "author": {"@type": "Organization", "name": "Checks"},
    }
    claimreview_store(items=[item])
    claimreview_store(items=[item | {"claimReviewed": "The ferry carried two million people"}])
    fact_check = ExternalFactCheck.objects.get()
    assert fact_check.analysis == retrieval.analysis_dump(f"{fact_check.claim_reviewed} {fact_check.headline}")
    assert "two" in fact_check.claim_reviewed


def test_ranking_from_stored_analyses_is_the_ranking_from_the_texts():
    statistics = retrieval.Statistics(rows=1000, mean=8, docs={"ferri": 3, "citi": 600, "fare": 40})
    texts = [
        "The city raised parking fees and city fares",
        "The ferry timetable changed; a photo shows 40 boats",
        "Ferry fares doubled in 2019, the city said",
    ]
    candidates = [(n, text, 0.0) for n, text in enumerate(texts)]
    from_texts = retrieval.rerank("City ferry fares doubled to 40 in 2019", candidates, statistics)
    stored = [retrieval.analysis_dump(text) for text in texts]
    assert retrieval.rerank("City ferry fares doubled to 40 in 2019", candidates, statistics, analyses=stored) == (
        from_texts
    )
    best = retrieval.rerank("City ferry fares doubled to 40 in 2019", candidates, statistics, analyses=stored, keep=1)
    assert best == from_texts[:1]


def test_an_analysis_stored_for_another_text_is_not_read():
    stale = retrieval.analysis_dump("Bus fares fell")
    fresh = retrieval.analysis_load(stale, "Ferry fares rose 40%")
    assert fresh.numbers() == {"40"} and " ferri " in fresh.stems


def test_matching_finds_the_same_with_or_without_stored_analyses():
    from claims.models import Claim

    claims = _an_articles_claims()
    queries = [(c.text, {"before": c.pk, "article": c.article_id}) for c in claims]
    with connection.cursor() as cursor:
        stored = matching.candidates_find_many(queries=queries, where=matching.EARLIER_OPEN, cursor=cursor)
        Claim.objects.update(analysis="")
        worked_out = matching.candidates_find_many(queries=queries, where=matching.EARLIER_OPEN, cursor=cursor)
    assert stored == worked_out and stored[0]


# The claim page -----------------------------------------------------------------------------


def test_the_claim_page_shows_the_verdict_on_an_earlier_paraphrase(reviewer_client, reviewer, editor, second_editor):
    earlier = ClaimFactory(text="The council closed three libraries after cutting its budget.")
    publish(
        earlier,
        reviewer=reviewer,
        editor=editor,
        approver=second_editor,
        rating="mostly-false",
        headline="Two closed, one merged",
    )
    new = ClaimFactory(text="Budget cuts made the council close three of its libraries.")
    tasks.match_claims([new.pk])
    html = reviewer_client.get(reverse("claims:claim", args=[new.pk])).content.decode()
    block = html[html.index('id="similar-h"') : html.index('id="elsewhere-h"')]
    assert "Likely duplicate" in block and f"#{earlier.pk}" in block
    assert "Mostly false" in block and "Two closed, one merged" in block
    assert "shares" in block and "words" in block


# Search -------------------------------------------------------------------------------------


def _search(client, q: str, kind: str = "claims"):
    page = client.get(reverse("claims:search"), {"q": q, "kind": kind})
    ((_, results),) = page.context["sections"]
    return page, results


def test_search_finds_other_word_forms_in_any_order_best_first(reviewer_client, reviewer):
    both = ClaimFactory(text="Evictions rose by ten percent in the city last year.")
    one = ClaimFactory(text="The eviction court heard its first case.")
    ClaimFactory(text="Rents fell across the region.")
    _, results = _search(reviewer_client, "percent evicted")
    assert [c.pk for c in results] == [both.pk]
    _, results = _search(reviewer_client, "evicted")
    assert {c.pk for c in results} == {both.pk, one.pk}


def test_search_highlights_hits_and_escapes_the_text(reviewer_client, reviewer):
    ClaimFactory(text="Tariffs <script>alert(1)</script> doubled & more")
    QuoteFactory(text="our <b>tariffs</b> are fair")
    page, results = _search(reviewer_client, "tariff")
    html = page.content.decode()
    assert "<mark>Tariffs</mark> &lt;script&gt;alert(1)&lt;/script&gt; doubled &amp; more" in html
    assert "<script>alert" not in html
    page, _ = _search(reviewer_client, "tariffs", kind="quotes")
    assert "&lt;b&gt;<mark>tariffs</mark>&lt;/b&gt;" in page.content.decode()


def test_search_lists_a_speakers_other_claims_after_the_text_matches(reviewer_client, reviewer):
    minister = SpeakerFactory(name="Engines Minister")
    by_name = ClaimFactory(text="Output doubled this year", speaker=minister)
    by_text = ClaimFactory(text="Engines doubled output")
    ClaimFactory(text="Trains ran late")
    _, results = _search(reviewer_client, "engines")
    assert [c.pk for c in results] == [by_text.pk, by_name.pk]


def test_search_counts_stop_at_the_cap(reviewer_client, reviewer, monkeypatch):
    from claims.queries import search

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for n in range(5):
        ClaimFactory(text=f"Ferries ran late {n} times")
    page, results = _search(reviewer_client, "ferries")
    assert results.paginator.count == 3 and "more than 3" in page.content.decode()


@pytest.mark.postgres
def test_postgres_search_reads_the_full_text_indexes():
    from claims.models import Claim, Quote
    from claims.queries.search import CLAIMS, QUOTES, Hits

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for table, model, index in ((CLAIMS, Claim, "claims_claim_search"), (QUOTES, Quote, "claims_quote_search")):
            sql, params = Hits(table, "eviction rates", model.objects.all())._union()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan
        cursor.execute("RESET enable_seqscan")


# SQLite's full-text triggers ----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_full_text_triggers_are_made_again_after_a_table_rebuild_drops_them():
    from claims import fts
    from claims.queries import search

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert {f"{t}_fts_{k}" for t in fts.TABLES for k in ("ai", "ad", "au")} <= {r[0] for r in cursor.fetchall()}
        for kind in ("ai", "ad", "au"):  # what SQLite does to them when a migration rebuilds the table
            cursor.execute(f"DROP TRIGGER claims_claim_fts_{kind}")
    ClaimFactory(text="Harbour tolls were doubled in the spring")
    assert fts.sqlite_fts_repair() == ["claims_claim"]
    assert fts.sqlite_fts_repair() == []  # nothing missing the second time
    ClaimFactory(text="The harbour tunnel closed for repairs")
    found = {c.text for c in search.search_claims("harbour")[0:10]}
    assert found == {"Harbour tolls were doubled in the spring", "The harbour tunnel closed for repairs"}
