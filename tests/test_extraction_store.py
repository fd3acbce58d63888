"""Storing the extractor's results: speakers through aliases, re-runs that keep human work,
and matching new claims against earlier ones."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims import audit, services, tasks, workflow
from claims.matching import LIKELY
from claims.models import Article, Claim, ClaimMatch, Quote, Speaker
from claims.services import ingestion

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

BUDGET = (
    "Finance Minister Maria Lopez said on Tuesday that unemployment fell to 4.2% in March, the lowest rate "
    "since 2008.\n\n"
    '"We expect the economy to grow by 3% next year," Lopez told reporters in Madrid. She added that the '
    "government would spend 12 billion euros on new railways by 2030.\n\n"
    "Opposition leader Carlos Ruiz said the figures were misleading."
)
FOLLOW_UP = (
    "Lopez defended her record on Friday.\n\n"
    '"Unemployment fell to 4.2% in March, the lowest since 2008," Lopez said in parliament.'
)


def extract(body: str) -> Article:
    article = ArticleFactory(body=body, status=Article.Status.EXTRACTING)
    services.article_extract(article=article)
    article.refresh_from_db()
    return article


def test_quotes_claims_and_speakers_are_stored_with_offsets_into_the_body():
    article = extract(BUDGET)
    assert article.status == Article.Status.READY and article.extractor_version
    quotes = list(article.quotes.select_related("speaker"))
    assert quotes, "no quote stored"
    for quote in quotes:
        assert article.body[quote.start : quote.end] == quote.text
        assert quote.origin == "machine"
    lopez = Speaker.objects.get(name="Maria Lopez")
    assert any(q.speaker == lopez and q.direct for q in quotes)
    assert set(lopez.aliases.values_list("alias", flat=True)) >= {"Maria Lopez", "Lopez"}
    claim = Claim.objects.get(article=article, text__contains="4.2%")
    assert (claim.status, claim.origin) == (Claim.Status.CANDIDATE, "machine")
    assert article.body[claim.start : claim.end] == claim.text
    assert {"text": "4.2%", "unit": "%", "value": 4.2} in [
        {k: n[k] for k in ("text", "unit", "value")} for n in claim.numbers
    ]
    assert claim.history.first().history_change_reason == "extracted"


def test_a_speaker_of_no_stored_quote_or_claim_gets_no_record():
    extract("Detectives in Harwick have named a man they want to trace. Ann Holt said the raid took minutes.")
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Ann Holt"]


def test_each_extracted_claim_gets_one_created_row_in_its_history():
    article = extract(BUDGET)
    claims = list(Claim.objects.filter(article=article).order_by("pk"))
    assert claims
    for claim in claims:
        (row,) = claim.history.all()
        assert (row.history_type, row.history_change_reason, row.history_user) == ("+", "extracted", None)
        assert (row.text, row.score, row.numbers, row.article_id) == (
            claim.text,
            claim.score,
            claim.numbers,
            article.pk,
        )


def test_claims_beyond_one_history_batch_each_get_their_created_row(monkeypatch):
    monkeypatch.setattr(audit, "HISTORY_BATCH", 2)
    article = extract(BUDGET)
    claims = list(Claim.objects.filter(article=article))
    assert len(claims) > 2
    assert [claim.history.count() for claim in claims] == [1] * len(claims)


def test_a_later_article_naming_only_the_surname_links_to_the_same_person():
    extract(BUDGET)
    later = extract(FOLLOW_UP)
    assert Speaker.objects.filter(name__contains="Lopez").count() == 1
    assert later.quotes.filter(speaker__name="Maria Lopez").exists()


def test_an_unrelated_person_with_a_known_surname_is_not_merged_in():
    maria = services.speaker_create(name="Maria Lopez")  # registers the alias "Lopez"
    extract('"Prices rose by 5% in May," Antonio Lopez, a trader, said on Monday.')
    antonio = Speaker.objects.get(name="Antonio Lopez")
    assert antonio != maria
    assert Quote.objects.filter(speaker=antonio).exists()


def _found(name: str, *aliases: str, kind: str = "person", title: str = ""):
    from claims.extraction.models import Speaker as Found

    return Found(name=name, aliases=list(aliases), type=kind, title=title)


def test_an_articles_new_speakers_are_made_together_with_their_aliases_and_history(django_assert_max_num_queries):
    from claims.models import SpeakerAlias

    known = services.speaker_create(name="Maria Lopez")
    found = [
        _found("Maria Lopez"),
        _found("Tomas Berg", "Berg", title="Mayor"),
        _found("Inez Okoro"),
        _found("Harbour Authority", "the authority", kind="organisation"),
    ]
    # the aliases known, the slugs taken, the speakers, their audit rows, their names, their
    # other aliases (and a transaction's two statements): not about seven a speaker
    with django_assert_max_num_queries(8):
        resolved = services.speakers_resolve(found)
    assert resolved["Maria Lopez"] == known
    berg = resolved["Tomas Berg"]
    assert (berg.kind, berg.role, berg.slug) == (Speaker.Kind.PERSON, "Mayor", "tomas-berg")
    assert resolved["Berg"] == berg
    aliases = dict(SpeakerAlias.objects.values_list("normalized", "speaker__name"))
    assert aliases["okoro"] == "Inez Okoro"  # a person's surname, as one made alone gets
    assert aliases["the authority"] == "Harbour Authority"
    assert "authority" not in aliases  # an organisation's last word is no alias
    for name in ("Tomas Berg", "Inez Okoro", "Harbour Authority"):
        speaker = Speaker.objects.get(name=name)
        assert list(speaker.history.values_list("history_type", flat=True)) == ["+"]


def test_a_new_speaker_whose_slug_is_taken_is_made_one_by_one_with_a_slug_of_its_own():
    Speaker.objects.create(name="Ada Vale-Cruz", slug="ada-vale")  # renamed since
    resolved = services.speakers_resolve([_found("Ada Vale"), _found("Noor Haddad")])
    assert resolved["Ada Vale"].slug == "ada-vale-2"
    assert resolved["Noor Haddad"].slug == "noor-haddad"


def test_new_speakers_named_meanwhile_by_another_job_are_taken_from_it(monkeypatch):
    from claims.services import speakers

    theirs = services.speaker_create(name="Lena Fisk")  # made after this job looked
    monkeypatch.setattr(speakers, "_aliases_known", lambda names: {})
    resolved = services.speakers_resolve([_found("Lena Fisk"), _found("Omar Said")])
    assert resolved["Lena Fisk"] == theirs
    assert Speaker.objects.filter(name="Lena Fisk").count() == 1
    assert resolved["Omar Said"].name == "Omar Said"


def test_rerunning_extraction_replaces_machine_items_and_keeps_human_work(editor):
    article = extract(BUDGET)
    quote_count, claim_count = article.quotes.count(), article.claims.count()
    edited = article.quotes.first()
    edited.text, edited.touched_at = "edited by a person", timezone.now()
    edited.save()
    handmade = Quote.objects.create(article=article, text="handmade", start=0, end=8, origin="human")
    accepted = workflow.claim_accept(claim=Claim.objects.get(article=article, text__contains="4.2%"), by=editor)

    services.article_extract(article=article)

    assert Quote.objects.get(pk=edited.pk).text == "edited by a person"
    assert Quote.objects.filter(pk=handmade.pk).exists()
    assert Claim.objects.get(pk=accepted.pk).status == Claim.Status.ACCEPTED
    # the machine did not add a second copy of what people kept
    assert article.quotes.filter(start=edited.start, end=edited.end).count() == 1
    assert article.claims.filter(start=accepted.start, end=accepted.end).count() == 1
    assert article.quotes.count() == quote_count + 1  # + the handmade one
    assert article.claims.count() == claim_count


def test_rerunning_twice_gives_exactly_one_set():
    article = extract(BUDGET)
    first = (article.quotes.count(), article.claims.count(), Speaker.objects.count())
    services.article_extract(article=article)
    services.article_extract(article=article)
    assert (article.quotes.count(), article.claims.count(), Speaker.objects.count()) == first


def test_matching_is_queued_after_extraction(django_capture_on_commit_callbacks):
    article = ArticleFactory(body=BUDGET, status=Article.Status.EXTRACTING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = services.article_extract(article=article)
    assert ids and len(callbacks) == 1


def test_a_text_with_nobody_quoted_is_ready_with_no_quotes():
    article = extract("The river is 40 km long. It flows north into the lake.")
    assert article.status == Article.Status.READY
    assert article.quotes.count() == 0


def test_inconsistent_figures_are_kept_on_the_article():
    body = (
        "The government will raise the defence budget by 68% next year, the finance ministry said.\n\n"
        "Documents show the defence budget will rise by 67.6% in 2024.\n\n"
        "Analysts said a defence budget increase of 67.65% was the largest since the Cold War."
    )
    article = extract(body)
    assert any({"68%", "67.6%"} <= set(i["stated_as"]) for i in article.inconsistencies), article.inconsistencies


def test_similar_earlier_claims_are_linked(editor):
    first = extract(BUDGET)
    earlier = Claim.objects.get(article=first, text__contains="4.2%")
    later = extract(FOLLOW_UP)
    new = Claim.objects.filter(article=later, text__contains="4.2%").first()
    assert new is not None
    tasks.match_claims([new.pk])
    links = list(ClaimMatch.objects.filter(claim=new).order_by("-score"))
    assert links[0].earlier == earlier and 0 < links[0].score <= 1, [(m.earlier.text, m.score) for m in links]
    assert links[0].score >= LIKELY > max((m.score for m in links[1:]), default=0)
    tasks.match_claims([new.pk])  # again: no duplicate link
    assert ClaimMatch.objects.filter(claim=new).count() == len(links)


def test_unrelated_claims_are_not_linked():
    extract(BUDGET)
    other = extract("Lopez said the city's new bridge cost 300 million dollars and opened in June 2019.")
    tasks.match_claims(list(other.claims.values_list("pk", flat=True)))
    assert not ClaimMatch.objects.filter(claim__article=other).exists()


@pytest.mark.postgres  # the full-text index is PostgreSQL's
def test_postgres_matching_uses_the_stemmed_full_text_index():
    from claims.matching import CLAIMS, EARLIER_OPEN, _lookup_sql, _postgres_params

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the planner show the index
        cursor.execute(
            "EXPLAIN " + _lookup_sql(CLAIMS, EARLIER_OPEN),
            _postgres_params(cursor, CLAIMS, ["unemployment", "4.2"]) | {"before": 10, "article": 1},
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "claims_claim_search" in plan, plan
        cursor.execute("RESET enable_seqscan")


GERMAN = (
    "Die Ministerin sagte am Montag in Berlin, das Gesetz werde im Sommer beschlossen. "
    '"Wir werden die Steuern nicht erhöhen", sagte sie. Es kostet 5 Millionen Euro im Jahr.'
)


def test_the_detected_language_is_stored_on_the_article():
    assert extract(BUDGET).language == "en"


def test_an_unsupported_language_gets_quotations_only_and_a_notice(reviewer_client, reviewer):
    article = extract(GERMAN)
    assert article.language == "de"
    quotes = list(article.quotes.all())
    assert [q.text for q in quotes] == ["Wir werden die Steuern nicht erhöhen"]
    assert quotes[0].speaker is None and not article.claims.exists() and not Speaker.objects.exists()
    html = reviewer_client.get(f"/articles/{article.pk}/").content.decode()
    assert 'id="language-notice"' in html and "does not support" in html
    english = extract(BUDGET)
    assert 'id="language-notice"' not in reviewer_client.get(f"/articles/{english.pk}/").content.decode()


def test_quotes_store_their_kind_and_where_the_attribution_is_written():
    article = extract(BUDGET)
    quote = article.quotes.get(text__startswith="We expect the economy")
    assert quote.kind == Quote.Kind.SPEECH
    assert article.body[quote.source_start : quote.source_end] == "Lopez"
    assert article.body[quote.cue_start : quote.cue_end] == "told"


def test_an_article_never_extracted_is_checked_for_earlier_items_in_one_query(django_assert_num_queries):
    from claims.services.ingestion import _untouched_items_delete

    article = ArticleFactory(body=BUDGET)
    with django_assert_num_queries(1):
        assert _untouched_items_delete(article) == (set(), set())
    services.article_extract(article=article)
    kept_quotes, kept_claims = _untouched_items_delete(article)  # nobody touched them: all go
    assert kept_quotes == set() and kept_claims == set() and not Claim.objects.filter(article=article).exists()


def test_only_the_most_check_worthy_claims_are_matched_after_extraction(settings, monkeypatch):
    settings.MATCH_AT_INGEST = 1
    sent = []
    monkeypatch.setattr(ingestion.jobs, "enqueue", lambda name, *args: sent.append((name, args)))
    article = extract(BUDGET)
    claims = sorted(article.claims.all(), key=lambda c: (-c.score, c.start))
    assert len(claims) > 1
    assert sent == [("match_claims", ([claims[0].pk],))]
    assert [c.matches_pending for c in claims] == [False] + [True] * (len(claims) - 1)


def _left_for_later(settings) -> tuple[Claim, Claim]:
    """An earlier claim and a later restatement of it that matching at ingestion skipped."""
    settings.MATCH_AT_INGEST = 0
    earlier = Claim.objects.get(article=extract(BUDGET), text__contains="4.2%")
    later = Claim.objects.get(article=extract(FOLLOW_UP), text__contains="4.2%")
    assert later.matches_pending and not ClaimMatch.objects.filter(claim=later).exists()
    return earlier, later


def test_a_claim_left_for_later_is_matched_when_its_page_is_opened(settings, reviewer_client):
    earlier, later = _left_for_later(settings)
    html = reviewer_client.get(reverse("claims:claim", args=[later.pk])).content.decode()
    block = html[html.index('id="similar-h"') : html.index('id="elsewhere-h"')]
    assert "Likely duplicate" in block and f"#{earlier.pk}" in block
    later.refresh_from_db()
    assert not later.matches_pending
    links = ClaimMatch.objects.filter(claim=later).count()
    reviewer_client.get(reverse("claims:claim", args=[later.pk]))  # matched once: opening it again finds the same links
    assert ClaimMatch.objects.filter(claim=later).count() == links


def test_triage_matches_the_claims_on_its_page_left_for_later(settings, editor_client):
    earlier, later = _left_for_later(settings)
    html = editor_client.get(reverse("claims:triage")).content.decode()
    card = html[html.index(f'id="claim-{later.pk}"') :]
    card = card[: card.index("</li>")]
    assert "Looks like <a" in card and f"#{earlier.pk}" in card
    assert not Claim.objects.filter(pk__in=[earlier.pk, later.pk], matches_pending=True).exists()


def test_the_admin_change_page_matches_a_claim_left_for_later(settings, editor_client):
    earlier, later = _left_for_later(settings)
    html = editor_client.get(reverse("admin:claims_claim_change", args=[later.pk])).content.decode()
    assert not Claim.objects.get(pk=later.pk).matches_pending
    assert ClaimMatch.objects.filter(claim=later, earlier=earlier).exists()
    inline = html[html.lower().index("similar earlier claims") :]
    assert reverse("admin:claims_claim_change", args=[earlier.pk]) in inline
