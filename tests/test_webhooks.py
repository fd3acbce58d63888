"""Webhooks: publications, corrections and retractions POSTed, signed, retried and logged."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from celery.exceptions import Retry
from rest_framework.test import APIClient

from claims.models import Partner, PartnerAPIKey, Verdict, WebhookDelivery, WebhookEndpoint
from claims.publishing.webhooks import SIGNATURE_HEADER, webhook_attempt
from claims.tasks import deliver_webhook
from claims.workflow import verdict_retract

from .builders import correct, publish
from .factories import ClaimFactory
from .support import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    local = Receiver()
    yield local
    local.close()


@pytest.fixture
def endpoint(receiver) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(partner=Partner.objects.create(name="Platform"), url=receiver.url)


def verify(headers: dict[str, str], body: bytes, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers[SIGNATURE_HEADER], expected)


def run_deliveries() -> None:
    """What the worker does after each commit."""
    for pk in WebhookDelivery.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True):
        deliver_webhook(pk)


def test_publish_correct_and_retract_are_posted_signed(
    endpoint, receiver, editor, second_editor, reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(text="Exports doubled in 2023.")
    with django_capture_on_commit_callbacks() as callbacks:
        publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    # Delivery jobs go out only after commit (the other callbacks are notifications to the desk).
    assert sum("webhook" in c.__qualname__ for c in callbacks) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.fact_check_id, delivery.status) == ("published", claim.pk, "pending")
    run_deliveries()

    correct(claim, reviewer=reviewer, editor=editor, approver=second_editor, rating="true", headline="Yes, doubled")
    run_deliveries()
    verdict_retract(verdict=Verdict.objects.get(claim=claim, state="published"), by=editor, reason="Wrong claim")
    run_deliveries()

    assert [json.loads(body)["event"] for _, body in receiver.received] == ["published", "corrected", "retracted"]
    for headers, body in receiver.received:
        assert verify(headers, body, endpoint.secret)
        assert headers["Content-Type"] == "application/json"
    published, corrected, retracted = (json.loads(body) for _, body in receiver.received)
    claim.refresh_from_db()
    assert published["url"] == published["claim_review"]["url"]
    assert published["url"].endswith(f"/fact-checks/{claim.slug}/")
    assert published["claim_review"]["@type"] == "ClaimReview"
    assert published["claim_review"]["claimReviewed"] == "Exports doubled in 2023."
    assert corrected["version"] == 2 and corrected["claim_review"]["reviewRating"]["alternateName"] == "True"
    assert retracted["id"] == claim.pk and retracted["status"] == "retracted" and retracted["retracted_at"]
    assert retracted["claim_review"] is None
    for body in (published, corrected, retracted):
        assert "rita" not in json.dumps(body) and "Wrong claim" not in json.dumps(body)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_failing_receiver_is_retried_with_backoff_and_logged(endpoint, receiver, editor, second_editor, reviewer):
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    receiver.statuses = [503]
    with pytest.raises(Retry):
        deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 503)
    assert "503" in delivery.error
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert delivery.delivered_at is not None
    # The same signed body both times.
    assert receiver.received[0][1] == receiver.received[1][1]


def test_a_receiver_that_refuses_is_not_retried(endpoint, receiver, editor, second_editor, reviewer):
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    receiver.statuses = [410]
    delivery = WebhookDelivery.objects.get()
    assert webhook_attempt(delivery_id=delivery.pk) is True
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "410" in delivery.error


def test_an_unreachable_receiver_gives_up_after_the_last_attempt(settings, editor, second_editor, reviewer):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    partner = Partner.objects.create(name="Gone")
    WebhookEndpoint.objects.create(partner=partner, url="http://127.0.0.1:9/nothing-listens")
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "Could not connect" in delivery.error


def test_private_addresses_are_refused_unless_allowed(editor, second_editor, reviewer):
    partner = Partner.objects.create(name="Internal")
    WebhookEndpoint.objects.create(partner=partner, url="http://127.0.0.1:9/internal")
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "private or local" in delivery.error


def test_no_endpoints_no_deliveries(editor, second_editor, reviewer):
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    assert not WebhookDelivery.objects.exists()


def test_partners_register_their_webhooks_through_the_api():
    partner = Partner.objects.create(name="Platform")
    _, key = PartnerAPIKey.objects.create_key(name="k", partner=partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    created = client.post("/api/v1/webhooks/", {"url": "https://platform.example.com/hook"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["secret"] == WebhookEndpoint.objects.get().secret
    assert client.get("/api/v1/webhooks/").json()[0]["url"] == "https://platform.example.com/hook"
    assert "secret" not in client.get("/api/v1/webhooks/").json()[0]
    again = client.post("/api/v1/webhooks/", {"url": "https://platform.example.com/hook"}, format="json")
    assert again.status_code == 400
    assert client.post("/api/v1/webhooks/", {"url": "ftp://x.example.com/"}, format="json").status_code == 400

    _, other_key = PartnerAPIKey.objects.create_key(name="o", partner=Partner.objects.create(name="Other"))
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {other_key}")
    assert other.get("/api/v1/webhooks/").json() == []
    pk = WebhookEndpoint.objects.get().pk
    assert other.delete(f"/api/v1/webhooks/{pk}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{pk}/").status_code == 204


def test_deliveries_are_visible_in_the_admin(editor_client, endpoint, receiver, editor, second_editor, reviewer):
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    run_deliveries()
    listing = editor_client.get("/admin/claims/webhookdelivery/")
    assert listing.status_code == 200
    assert "delivered" in listing.content.decode().lower()
    delivery = WebhookDelivery.objects.get()
    assert editor_client.get(f"/admin/claims/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert editor_client.get("/admin/claims/partnerapikey/").status_code == 200
