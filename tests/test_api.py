"""The partner API (fact-checks, speakers), staff endpoints, keys and throttling."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services, workflow
from claims.models import Article, Claim, FactCheck, Partner, PartnerAPIKey, Rating, Verdict
from claims.workflow import verdict_retract

from .builders import api_key_client, bulk_published, correct, publish, token_client
from .factories import ArticleFactory, ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/fact-checks/"


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


# Reading fact-checks -----------------------------------------------------------------------


def test_partner_lists_published_fact_checks_with_claim_review(story, partner_key_client):
    response = partner_key_client.get(LIST)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["results"]] == [story["claim"].pk]
    item = body["results"][0]
    assert item["status"] == "published"
    assert item["version"] == 1
    assert item["rating"] == {"label": "False", "slug": "false", "value": 1}
    assert item["evidence"][0]["url"] == "https://stats.example.org/may"
    review = item["claim_review"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Unemployment fell to 4% in May."
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Minister", "jobTitle": "Finance Minister"},
        "datePublished": "2024-09-30",  # the day the claim was made: the article's, by default
        "appearance": [
            {
                "@type": "CreativeWork",
                "url": "https://news.example.com/budget",
                "headline": "Budget rises",
                "publisher": {"@type": "Organization", "name": "The Daily Example"},
            }
        ],
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
        "ratingExplanation": "The statement is not accurate.",  # the scale's, as the verdict gives none
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org/",
    }
    assert review["url"] == f"https://factcheck.example.org/fact-checks/{story['claim'].slug}/"
    assert review["datePublished"] == item["date_published"]


def test_a_rating_off_the_scale_carries_its_name_and_the_scale_explanation(
    editor, second_editor, reviewer, partner_key_client
):
    claim = ClaimFactory()
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor, rating="misleading")
    review = partner_key_client.get(detail(claim.pk)).json()["claim_review"]
    misleading = Rating.objects.get(slug="misleading")
    assert misleading.textual and misleading.description  # declared textual by the migration
    # No number (it is textual), but no longer without an explanation of the scale.
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Misleading",
        "ratingExplanation": misleading.description,
    }


def test_format_jsonld_works_like_the_accept_header(story, partner_key_client):
    response = partner_key_client.get(f"{detail(story['claim'].pk)}?format=jsonld")
    assert response["Content-Type"].startswith("application/ld+json")


def test_detail_and_json_ld(story, partner_key_client):
    pk = story["claim"].pk
    assert partner_key_client.get(detail(pk)).json()["id"] == pk
    response = partner_key_client.get(detail(pk), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    body = json.loads(response.content)
    assert body["@context"] == "https://schema.org"
    assert body["@type"] == "ClaimReview"
    listing = json.loads(partner_key_client.get(LIST, HTTP_ACCEPT="application/ld+json").content)
    assert listing["@context"] == "https://schema.org"
    assert [r["@type"] for r in listing["@graph"]] == ["ClaimReview"]


def test_unpublished_claims_are_not_found(story, partner_key_client):
    assert partner_key_client.get(detail(story["draft_claim"].pk)).status_code == 404
    assert partner_key_client.get(detail(story["candidate"].pk)).status_code == 404


def test_newest_change_first_and_cursor_pages(editor, second_editor, partner_key_client):
    bulk_published(7, author=editor, approver=second_editor)
    seen, url = [], f"{LIST}?page_size=3"
    while url:
        body = partner_key_client.get(url).json()
        seen += [item["date_modified"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == 7
    assert seen == sorted(seen, reverse=True)


def test_filters(story, editor, second_editor, reviewer, partner_key_client):
    other = ClaimFactory(text="Crime doubled since 2020.")
    publish(other, reviewer=reviewer, editor=editor, approver=second_editor, rating="true", headline="Yes")

    def ids(query: str) -> list[int]:
        response = partner_key_client.get(f"{LIST}?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    mine = story["claim"].pk
    assert ids("rating=true") == [other.pk]
    assert ids("speaker=jane-minister") == [mine]
    assert ids(f"speaker={story['speaker'].pk}") == [mine]
    assert ids("q=unemployment") == [mine]
    assert ids("url=https://news.example.com/budget") == [mine]
    assert set(ids("published_since=2000-01-01T00:00:00Z")) == {mine, other.pk}
    assert ids("published_since=2999-01-01") == []


# Incremental sync --------------------------------------------------------------------------


def test_sync_sees_new_verdicts_corrections_and_retractions(story, editor, second_editor, reviewer, partner_key_client):
    claim = story["claim"]
    first = partner_key_client.get(LIST).json()["results"][0]
    since = first["date_modified"]

    correct(claim, reviewer=reviewer, editor=editor, approver=second_editor, rating="mostly-false", headline="Fixed")
    fresh = ClaimFactory(text="Taxes fell.")
    publish(fresh, reviewer=reviewer, editor=editor, approver=second_editor)

    changed = {item["id"]: item for item in partner_key_client.get(f"{LIST}?updated_since={since}").json()["results"]}
    assert set(changed) == {claim.pk, fresh.pk}
    corrected = changed[claim.pk]
    assert corrected["version"] == 2 and corrected["rating"]["slug"] == "mostly-false"
    assert corrected["date_modified"] > since
    assert corrected["date_published"] == first["date_published"]
    assert corrected["corrections"][0]["version"] == 1 and corrected["corrections"][0]["rating"] == "False"
    assert corrected["claim_review"]["dateModified"] == corrected["date_modified"]

    since = max(item["date_modified"] for item in changed.values())
    verdict_retract(verdict=Verdict.objects.get(claim=fresh, state="published"), by=editor, reason="Wrong person")
    after = partner_key_client.get(f"{LIST}?updated_since={since}").json()["results"]
    tombstone = next(item for item in after if item["id"] == fresh.pk)
    assert tombstone["status"] == "retracted"
    assert tombstone["retracted_at"] and tombstone["claim_review"] is None and tombstone["claim"] is None
    # Without updated_since, and on the detail, it is gone.
    assert fresh.pk not in [item["id"] for item in partner_key_client.get(LIST).json()["results"]]
    gone = partner_key_client.get(detail(fresh.pk))
    assert gone.status_code == 410 and gone.json()["status"] == "retracted"


def test_a_change_while_a_partner_pages_is_caught_by_the_next_poll(editor, second_editor, partner_key_client):
    """Following the documented recipe (page to the end, then poll from the newest
    date_modified seen minus a minute) nothing is lost, even when fact-checks change
    between the partner's pages."""
    facts = bulk_published(6, author=editor, approver=second_editor)
    copy: dict[int, dict] = {}
    body = partner_key_client.get(f"{LIST}?page_size=2").json()
    copy.update({item["id"]: item for item in body["results"]})
    newest = max(item["date_modified"] for item in body["results"])
    # Meanwhile, one not yet read is retracted and one already read is renamed.
    oldest = facts[-1]
    verdict_retract(verdict=Verdict.objects.get(claim_id=oldest.claim_id, state="published"), by=editor, reason="x")
    speaker = Claim.objects.get(pk=body["results"][0]["id"]).speaker
    speaker.name = "Renamed Speaker"
    services.speaker_edit(speaker=speaker, by=editor)
    url = body["next"]
    while url:
        page = partner_key_client.get(url).json()
        copy.update({item["id"]: item for item in page["results"]})
        newest = max([newest, *(item["date_modified"] for item in page["results"])])
        url = page["next"]
    since = (datetime.datetime.fromisoformat(newest) - datetime.timedelta(minutes=1)).isoformat()
    url = f"{LIST}?{urlencode({'updated_since': since, 'page_size': 2})}"
    while url:
        page = partner_key_client.get(url).json()
        copy.update({item["id"]: item for item in page["results"]})
        url = page["next"]
    assert copy[oldest.claim_id]["status"] == "retracted"
    assert copy[body["results"][0]["id"]]["claim"]["speaker"]["name"] == "Renamed Speaker"
    current = {item["id"]: item for item in partner_key_client.get(f"{LIST}?page_size=100").json()["results"]}
    assert {pk: item for pk, item in copy.items() if item["status"] == "published"} == current


def test_renaming_a_speaker_marks_their_fact_checks_changed(story, editor, partner_key_client):
    before = partner_key_client.get(detail(story["claim"].pk)).json()["date_modified"]
    speaker = story["speaker"]
    speaker.name = "Jane Q. Minister"
    services.speaker_edit(speaker=speaker, by=editor)
    after = partner_key_client.get(f"{LIST}?updated_since={before}").json()["results"]
    assert after[0]["claim"]["speaker"]["name"] == "Jane Q. Minister"
    assert after[0]["date_modified"] > before


def test_etag_and_last_modified_answer_304_on_a_repeat(story, partner_key_client):
    FactCheck.objects.update(changed_at=timezone.now() - datetime.timedelta(minutes=1))
    for url in (LIST, detail(story["claim"].pk), "/api/v1/speakers/"):
        first = partner_key_client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and first["Last-Modified"]
        again = partner_key_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        since = partner_key_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    jsonld = partner_key_client.get(LIST, HTTP_ACCEPT="application/ld+json")
    assert jsonld["ETag"] != partner_key_client.get(LIST)["ETag"]


def test_no_last_modified_while_its_second_is_still_open(story, partner_key_client):
    """Another change in the same second would not move a whole-second Last-Modified."""
    response = partner_key_client.get(LIST)
    assert response["ETag"] and not response.has_header("Last-Modified")


def test_a_change_changes_the_etag(story, editor, partner_key_client):
    etag = partner_key_client.get(LIST)["ETag"]
    verdict_retract(verdict=story["verdict"], by=editor, reason="Oops")
    assert partner_key_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200


# Speakers ----------------------------------------------------------------------------------


def test_speakers_are_those_with_published_fact_checks(story, partner_key_client):
    SpeakerFactory(name="Nobody Checked")
    body = partner_key_client.get("/api/v1/speakers/").json()
    assert [s["name"] for s in body["results"]] == ["Jane Minister"]
    assert body["results"][0]["fact_check_count"] == 1
    one = partner_key_client.get(f"/api/v1/speakers/{story['speaker'].pk}/").json()
    assert [fc["id"] for fc in one["fact_checks"]] == [story["claim"].pk]
    assert one["fact_checks"][0]["rating"] == "False"


def test_a_speaker_without_published_fact_checks_is_not_found(story, partner_key_client):
    quiet = SpeakerFactory()
    assert partner_key_client.get(f"/api/v1/speakers/{quiet.pk}/").status_code == 404


# Staff endpoints ---------------------------------------------------------------------------


def test_staff_submit_an_article_and_read_its_status(editor_client, django_capture_on_commit_callbacks):
    client = editor_client
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/v1/articles/", {"url": "https://news.example.com/a"}, format="json")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1  # the ingest job, after commit
    status_url = response["Location"]
    assert response.json()["status_url"] == status_url
    article = client.get(status_url).json()
    assert article["status"] == "pending" and article["quotes"] == [] and article["claims"] == []
    again = client.post("/api/v1/articles/", {"url": "https://news.example.com/a"}, format="json")
    assert again.status_code == 200 and "Already" in again.json()["message"]


def test_article_shows_quotes_and_candidate_claims(reviewer_client):
    from .factories import QuoteFactory

    article = ArticleFactory()
    QuoteFactory(article=article)
    ClaimFactory(article=article, text="Unemployment fell to 4%.", start=0, end=10)
    body = reviewer_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["quotes"][0]["text"] == "unemployment fell"
    assert body["claims"][0]["status"] == "candidate"


def test_staff_token_works_for_staff_endpoints(reviewer):
    client = token_client(reviewer)
    assert client.get("/api/v1/claims/").status_code == 200


def test_claim_list_filters(editor, reviewer, reviewer_client):
    mine = ClaimFactory(text="Exports doubled.", kind=Claim.Kind.STATISTIC, score=0.9)
    workflow.claim_accept(claim=mine, by=editor)
    workflow.claim_assign(claim=mine, by=editor, assignee=reviewer)
    ClaimFactory(text="It will rain.", kind=Claim.Kind.PREDICTION, score=0.2)
    client = reviewer_client

    def texts(query: str) -> list[str]:
        response = client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.content
        return [c["text"] for c in response.json()["results"]]

    assert texts("assignee=me") == ["Exports doubled."]
    assert texts("status=assigned") == ["Exports doubled."]
    assert texts("kind=prediction") == ["It will rain."]
    assert texts("min_score=0.5") == ["Exports doubled."]
    assert texts("q=rain") == ["It will rain."]
    assert texts("assignee=rita") == ["Exports doubled."]


def test_editor_retracts_through_the_api_and_partners_cannot(story, editor_client, partner_key_client, reviewer_client):
    url = f"{detail(story['claim'].pk)}retract/"
    assert partner_key_client.post(url, {"reason": "x", "version": 1}, format="json").status_code == 403
    assert reviewer_client.post(url, {"reason": "x", "version": 1}, format="json").status_code == 403
    response = editor_client.post(url, {"reason": "Wrong figures", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "retracted"
    assert editor_client.post(url, {"reason": "again", "version": 1}, format="json").status_code == 400


def test_a_retraction_carries_the_version_it_read(story, editor_client):
    url = f"{detail(story['claim'].pk)}retract/"
    read = editor_client.get(detail(story["claim"].pk)).json()["version"]
    response = editor_client.post(url, {"reason": "Wrong figures"}, format="json")
    assert response.status_code == 400 and "Say which version of the fact-check you read" in str(response.json())
    response = editor_client.post(url, {"reason": "Wrong figures", "version": read + 1}, format="json")
    assert response.status_code == 409 and "changed since you read version" in response.json()["detail"]
    assert editor_client.get(detail(story["claim"].pk)).json()["status"] == "published"
    response = editor_client.post(url, {"reason": "Wrong figures", "version": read}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "retracted"


# Keys, throttling --------------------------------------------------------------------------


def test_create_partner_prints_a_working_key_as_its_last_line(story):
    out = StringIO()
    call_command("create_partner", "Search Engine Co", "--rate", "500/hour", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    partner = Partner.objects.get(name="Search Engine Co")
    assert partner.throttle_rate == "500/hour"
    stored = PartnerAPIKey.objects.get(partner=partner)
    assert key not in (stored.hashed_key, stored.id)  # only the hash is kept
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get(LIST).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_create_partner_refuses_a_bad_rate():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="per second, minute, hour or day"):
        call_command("create_partner", "Bad Rate", "--rate", "lots", stdout=StringIO())


def test_missing_and_revoked_keys_are_refused_with_a_message(partner_api_key, partner_org):
    client = APIClient()
    missing = client.get(LIST)
    assert missing.status_code == 401
    assert "Api-Key" in missing.json()["detail"] and missing["WWW-Authenticate"].startswith("Api-Key")
    client.credentials(HTTP_AUTHORIZATION="Api-Key nonsense.key")
    assert client.get(LIST).json()["detail"] == "This API key is not valid."
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_api_key}")
    assert client.get(LIST).status_code == 200  # the key's details are now cached
    stored = PartnerAPIKey.objects.get(partner=partner_org)
    stored.revoked = True
    stored.save()
    revoked = client.get(LIST)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_an_editor_revokes_a_key_in_the_admin(editor_client, partner_api_key, partner_org, editor, partner_key_client):

    assert partner_key_client.get(LIST).status_code == 200
    stored = PartnerAPIKey.objects.get(partner=partner_org)
    response = editor_client.post(
        "/admin/claims/partnerapikey/", {"action": "revoke", "_selected_action": [stored.pk]}, follow=True
    )
    assert response.status_code == 200 and "1 key(s) revoked" in response.content.decode()
    assert partner_key_client.get(LIST).status_code == 401
    assert "Last used at" in editor_client.get(f"/admin/claims/partnerapikey/{stored.pk}/change/").content.decode()


def test_each_key_is_throttled_with_retry_after(partner_org, partner_api_key, settings):
    partner_org.throttle_rate = "3/minute"
    partner_org.save()
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_api_key}")
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(LIST)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another key of another partner is counted on its own.
    _, other = PartnerAPIKey.objects.create_key(name="other", partner=Partner.objects.create(name="Other"))
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {other}")
    assert client.get(LIST).status_code == 200
    cache.clear()


# What a partner never sees -----------------------------------------------------------------

SECRETS = ("SECRET-COMMENT", "SECRET-UNPUBLISHED", "SECRET-DRAFT", "SECRET-CANDIDATE", "rita", "eve", "ed@", '"ed"')


def partner_urls(story) -> list[str]:
    return [
        LIST,
        f"{LIST}?updated_since=2000-01-01T00:00:00Z",
        detail(story["claim"].pk),
        "/api/v1/speakers/",
        f"/api/v1/speakers/{story['speaker'].pk}/",
    ]


@pytest.mark.parametrize("role", ["key", "partner_user"])
def test_a_partner_sees_only_published_work_and_no_people(role, story, partner_key_client, partner_client):
    client = partner_key_client if role == "key" else partner_client
    for url in partner_urls(story):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, (url, secret)
        for field in ("author_id", "approver", "assignee", "last_edited_by", "added_by", "comments"):
            assert field not in text, (url, field)
    for url in (detail(story["draft_claim"].pk), detail(story["candidate"].pk)):
        assert client.get(url).status_code == 404


ROLES = ("key", "revoked_key", "partner_user", "outsider", "anonymous", "reviewer", "editor")
READ = {"key": 200, "revoked_key": 401, "partner_user": 200, "outsider": 403, "anonymous": 401,
        "reviewer": 200, "editor": 200}  # fmt: skip
UNPUBLISHED = {**READ, "key": 404, "partner_user": 404, "reviewer": 404, "editor": 404}
STAFF = {**READ, "key": 403, "partner_user": 403}
SUBMIT = {**STAFF, "reviewer": 202, "editor": 202}
RETRACT = {**STAFF, "reviewer": 403}
WEBHOOKS = {**READ, "partner_user": 403, "reviewer": 403, "editor": 403}
ENDPOINTS = [
    ("get", "{list}", READ),
    ("get", "{list}?updated_since=2000-01-01T00:00:00Z", READ),
    ("get", "{published}", READ),
    ("get", "{draft}", UNPUBLISHED),
    ("get", "{candidate}", UNPUBLISHED),
    ("get", "/api/v1/speakers/", READ),
    ("get", "/api/v1/speakers/{speaker}/", READ),
    ("post", "{published}retract/", RETRACT),
    ("post", "/api/v1/articles/", SUBMIT),
    ("get", "/api/v1/articles/{article}/", STAFF),
    ("get", "/api/v1/claims/", STAFF),
    ("get", "/api/v1/claims/{draft_id}/", STAFF),
    ("get", "/api/v1/webhooks/", WEBHOOKS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "expected"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_who_reaches_what(
    method,
    path,
    expected,
    role,
    story,
    partner_api_key,
    partner_org,
    partner_client,
    outsider_client,
    reviewer_client,
    editor_client,
    anonymous_client,
):
    """Every endpoint for every role: partners read published work only, staff endpoints are
    staff's, and what a partner can read carries no unpublished text and no person of ours."""
    if role in ("key", "revoked_key"):
        client = api_key_client(partner_api_key)
        if role == "revoked_key":
            stored = PartnerAPIKey.objects.get(partner=partner_org)
            stored.revoked = True
            stored.save()
    else:
        clients = {
            "partner_user": partner_client,
            "outsider": outsider_client,
            "anonymous": anonymous_client,
            "reviewer": reviewer_client,
            "editor": editor_client,
        }
        client = clients[role]
    url = path.format(
        list=LIST,
        published=detail(story["claim"].pk),
        draft=detail(story["draft_claim"].pk),
        candidate=detail(story["candidate"].pk),
        draft_id=story["draft_claim"].pk,
        speaker=story["speaker"].pk,
        article=story["claim"].article_id,
    )
    body = {"reason": "Wrong figures", "version": 1} if "retract" in url else {"url": "https://news.example.com/new"}
    response = client.post(url, body, format="json") if method == "post" else client.get(url)
    assert response.status_code == expected[role], response.content
    if role in ("key", "partner_user"):
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, secret


def test_staff_read_the_partner_api_too(story, reviewer_client):
    assert reviewer_client.get(LIST).status_code == 200


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("updated_since=yesterday", "updated_since", "ISO 8601"),
        ("updated_since=2024-13-45T99:00:00Z", "updated_since", "ISO 8601"),
        ("updated_since=0001-01-01T00:00:00%2B01:00", "updated_since", "ISO 8601"),
        ("published_since=9999-12-31T23:59:59-14:00", "published_since", "ISO 8601"),
        ("rating=sort-of-true", "rating", "No rating has this slug"),
        ("speaker=no-such-person", "speaker", "No speaker"),
        ("url=not a url", "url", "not a valid"),
        ("page_size=1000000", "page_size", "from 1 to 100"),
        ("page_size=-1", "page_size", "from 1 to 100"),
        ("cursor=bm9wZQ", "cursor", "not one we issued"),
        ("updated_sinse=2024-01-01", "detail", "Unknown query parameter"),
        ("q=%00", "detail", "NUL"),
    ],
)
def test_bad_input_answers_400_with_a_message(query, field, words, story, partner_key_client):
    response = partner_key_client.get(f"{LIST}?{query}")
    assert response.status_code == 400, response.content
    message = response.json()[field]
    assert words in (message if isinstance(message, str) else " ".join(message))


def test_a_tampered_cursor_is_refused(editor, second_editor, partner_key_client):
    bulk_published(4, author=editor, approver=second_editor)
    next_url = partner_key_client.get(f"{LIST}?page_size=2").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    response = partner_key_client.get(f"{LIST}?page_size=2&cursor={tampered}")
    assert response.status_code == 400 and "cursor" in response.json()
    assert partner_key_client.get(f"{LIST}?page_size=2&cursor={cursor}").status_code == 200


def test_a_body_that_is_not_json_or_is_10_mb_is_refused(editor_client):
    client = editor_client
    bad = client.post("/api/v1/articles/", data="{not json", content_type="application/json")
    assert bad.status_code == 400 and "JSON parse error" in bad.json()["detail"]
    huge = json.dumps({"text": "x" * (10 * 1024 * 1024)})
    big = client.post("/api/v1/articles/", data=huge, content_type="application/json")
    assert big.status_code == 413 and "at most" in big.json()["detail"]
    wrong = client.post("/api/v1/articles/", data="url=x", content_type="application/x-www-form-urlencoded")
    assert wrong.status_code == 415
    neither = client.post("/api/v1/articles/", {}, format="json")
    assert neither.status_code == 400 and "either" in json.dumps(neither.json())
    invalid = client.post("/api/v1/articles/", {"url": "ftp://x"}, format="json")
    assert invalid.status_code == 400 and "valid http(s)" in json.dumps(invalid.json())
    assert Article.objects.count() == 0


def test_an_unknown_id_is_404_not_500(partner_key_client):
    assert partner_key_client.get(f"{LIST}99999999999999999/").status_code == 404
    assert partner_key_client.get(f"{LIST}abc/").status_code == 404


# Cost --------------------------------------------------------------------------------------


def test_the_list_reads_its_rows_as_values_would(story, editor, second_editor, reviewer):
    """On PostgreSQL the list's rows come through psycopg's own loaders: the same dicts,
    timestamps included, for published fact-checks and tombstones alike, in one query."""
    from claims.api.rows import psycopg_rows

    retracted = bulk_published(2, author=reviewer, approver=second_editor)[0]
    verdict_retract(verdict=retracted.verdict, by=editor, reason="Wrong claim")
    rows = FactCheck.objects.for_partners().order_by("-changed_at", "-claim_id")
    with CaptureQueriesContext(connection) as queries:
        fast = list(psycopg_rows(rows)[:10])
    assert len(queries) == 1
    assert fast == list(rows[:10]) and len(fast) == 3
    assert {row["status"] for row in fast} == {"published", "retracted"}
    assert all(row["changed_at"].utcoffset() == datetime.timedelta(0) for row in fast)
    assert list(psycopg_rows(rows).filter(pk__in=[])) == []


def test_a_page_costs_a_fixed_number_of_queries(
    editor, second_editor, reviewer, partner_key_client, django_assert_max_num_queries
):
    facts = bulk_published(30, author=editor, approver=second_editor)
    # Corrections and evidence must not add queries per item either.
    correct(facts[0].claim, reviewer=editor, editor=editor, approver=second_editor, rating="true", headline="Re")
    partner_key_client.get(LIST)  # the key's last use is recorded once a minute, not per request
    counts = []
    for size in (5, 30):
        with CaptureQueriesContext(connection) as queries:
            response = partner_key_client.get(f"{LIST}?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print("queries per page:", counts)
    with django_assert_max_num_queries(5):
        partner_key_client.get(f"{LIST}?page_size=30&updated_since=2000-01-01T00:00:00Z&rating=false")
