"""Webhooks that survive faults: the broker down at approval time, lost jobs, a receiver
that trickles its answer, a job's time limit or a killed worker; and registration limits."""

from __future__ import annotations

import datetime
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils import timezone
from kombu.exceptions import OperationalError

from claims.models import Claim, Partner, WebhookDelivery, WebhookEndpoint
from claims.publishing import webhooks
from claims.publishing.webhooks import webhooks_requeue_due
from claims.tasks import deliver_webhook
from factcheck.celery import app

from .builders import publish
from .factories import ClaimFactory
from .support import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(settings) -> Iterator[WebhookEndpoint]:
    """A partner's endpoint on a local receiver that answers 200."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    local = Receiver()
    yield WebhookEndpoint.objects.create(partner=Partner.objects.create(name="Platform"), url=local.url)
    local.close()


def test_with_the_broker_down_approval_succeeds_and_the_delivery_waits(
    hook,
    editor,
    second_editor,
    reviewer,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_webhook, "delay", broker_down)
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)  # no exception
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_the_approve_page_answers_with_the_broker_down(
    second_editor_client,
    hook,
    editor,
    second_editor,
    reviewer,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from claims import workflow
    from claims.models import Rating

    monkeypatch.setattr(deliver_webhook, "delay", lambda *a: (_ for _ in ()).throw(OperationalError("down")))
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    claim.refresh_from_db()
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=Rating.objects.get(slug="false"), headline="No", analysis="Because."
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = second_editor_client.post(
            "/admin/claims/verdict/",
            {
                "action": "approve",
                "_selected_action": [verdict.pk],
                "confirm": "yes",
                f"verdict-version-{verdict.pk}": verdict.version,
            },
            follow=True,
        )
    assert response.status_code == 200
    assert WebhookDelivery.objects.get().status == "pending"


def test_late_deliveries_are_queued_again_by_the_periodic_job(hook, settings, monkeypatch):
    sent = []
    monkeypatch.setattr(deliver_webhook, "delay", sent.append)
    now = timezone.now()
    old = now - settings.WEBHOOK_REQUEUE_AFTER - datetime.timedelta(minutes=1)

    def make(status: str, due: datetime.datetime) -> int:
        return WebhookDelivery.objects.create(
            endpoint=hook, event="published", fact_check_id=1, body="", status=status, next_attempt_at=due
        ).pk

    lost_pending = make("pending", old)
    lost_retry = make("retrying", old)
    make("pending", now)  # its job is presumably on its way
    make("retrying", now + datetime.timedelta(minutes=5))  # not due yet
    make("delivered", old)
    make("failed", old)
    assert webhooks_requeue_due() == 2
    assert sorted(sent) == sorted([lost_pending, lost_retry])
    assert "requeue-webhooks" in settings.CELERY_BEAT_SCHEDULE


class SlowReceiver:
    """Reads the POST, then trickles its status line one byte every `gap` seconds."""

    def __init__(self, gap: float = 0.3) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.gap = gap
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection: socket.socket) -> None:
        try:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                connection.sendall(bytes([byte]))
                time.sleep(self.gap)
        except OSError:
            pass
        finally:
            connection.close()


def test_a_trickling_receiver_is_cut_off_at_the_deadline_and_retried(settings, editor, second_editor, reviewer):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 5  # each byte comes in time; only the deadline stops it
    settings.WEBHOOK_DEADLINE_SECONDS = 1
    slow = SlowReceiver()
    WebhookEndpoint.objects.create(partner=Partner.objects.create(name="Slow"), url=slow.url)
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    started = time.monotonic()
    with pytest.raises(Retry):
        deliver_webhook(delivery.pk)
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "took longer than 1 seconds" in delivery.error
    assert delivery.next_attempt_at > timezone.now()
    slow.listener.close()


def test_a_time_limit_mid_post_leaves_the_delivery_retrying(hook, editor, second_editor, reviewer, monkeypatch):
    def cut(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(webhooks, "_post", cut)
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(Retry):
        deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "time limit" in delivery.error and delivery.next_attempt_at is not None


def test_a_worker_killed_mid_post_leaves_a_retrying_delivery_for_the_requeue(
    hook,
    editor,
    second_editor,
    reviewer,
    monkeypatch,
    settings,
):
    seen = {}

    def killed(*args, **kwargs):
        # What the database holds while the POST is in flight: what a killed worker leaves.
        row = WebhookDelivery.objects.values("status", "attempts", "next_attempt_at", "body").get()
        seen.update(row)
        raise SystemExit  # the process dies here

    monkeypatch.setattr(webhooks, "_post", killed)
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(SystemExit):
        webhooks.webhook_attempt(delivery_id=delivery.pk)
    assert (seen["status"], seen["attempts"]) == ("retrying", 1) and seen["body"]
    # Once its lease and the grace period are over, the periodic job sends it again.
    sent = []
    monkeypatch.setattr(deliver_webhook, "delay", sent.append)
    assert webhooks_requeue_due() == 0
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - settings.WEBHOOK_REQUEUE_AFTER * 2)
    assert webhooks_requeue_due() == 1 and sent == [delivery.pk]


def test_attempts_are_counted_in_the_database_and_end_at_the_limit(settings, editor, second_editor, reviewer):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    WebhookEndpoint.objects.create(partner=Partner.objects.create(name="Gone"), url="http://127.0.0.1:9/none")
    publish(ClaimFactory(), reviewer=reviewer, editor=editor, approver=second_editor)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(Retry):
        deliver_webhook(delivery.pk)
    deliver_webhook(delivery.pk)  # e.g. sent again by the periodic job, not a Celery retry
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "Gave up after 2 attempts" in delivery.error


def test_deliveries_run_on_a_queue_of_their_own():
    route = app.amqp.router.route({}, "claims.webhooks.deliver_webhook")
    assert route["queue"].name == "webhooks"
    assert app.amqp.router.route({}, "claims.tasks.ingest_article")["queue"].name == "factcheck"


def test_a_partner_can_register_only_so_many_endpoints(partner_key_client, settings):
    settings.WEBHOOK_MAX_ENDPOINTS = 3
    for n in range(3):
        created = partner_key_client.post("/api/v1/webhooks/", {"url": f"https://{n}.example.com/h"}, format="json")
        assert created.status_code == 201, created.content
    refused = partner_key_client.post("/api/v1/webhooks/", {"url": "https://4.example.com/h"}, format="json")
    assert refused.status_code == 400
    assert "at most 3 webhook URLs" in refused.json()["url"][0]
    assert WebhookEndpoint.objects.count() == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8000/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://224.0.0.1/hook",
        "ftp://example.com/hook",
    ],
)
def test_private_and_local_urls_are_refused_at_registration(partner_key_client, url, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    refused = partner_key_client.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert refused.status_code == 400, refused.content
    assert "cannot be used" in refused.json()["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_refuses_a_private_webhook_url_too(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    endpoint = WebhookEndpoint(partner=Partner.objects.create(name="P"), url="http://10.0.0.5/hook")
    with pytest.raises(ValidationError, match="private or local network"):
        endpoint.full_clean()
