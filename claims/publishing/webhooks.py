"""Webhooks: publications, corrections and retractions POSTed to partners' URLs.

An event becomes one `WebhookDelivery` per active endpoint in the transaction that
published (or retracted) the verdict; a Celery job, enqueued after commit, freezes its
body on the first attempt and POSTs it signed with HMAC-SHA256 over the body (header `X-Factcheck-Signature:
sha256=<hex>`) and retries with backoff. The receiver must answer 2xx.

Deliveries survive a broker outage and lost jobs (`requeue_webhooks` runs periodically),
have an overall deadline each (WEBHOOK_DEADLINE_SECONDS) and a queue of their own.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import jobs, netsafe
from ..models import Partner, WebhookDelivery, WebhookEndpoint
from ..queries.claimreview import load
from .claimreview import fact_check_item, iso

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Factcheck-Signature"
# Answers worth trying again; any other 4xx means the receiver refuses this event.
RETRY_STATUSES = {408, 409, 425, 429}


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_events_record(*, fact_check_id: int, event: str) -> list[int]:
    """Record the event for every active endpoint, in the caller's transaction, and queue
    the deliveries after commit. Returns the delivery ids.

    Queueing is robust: with the broker down the publication still commits and the editor
    gets their page; the deliveries stay pending and `requeue_webhooks` sends them later."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True, partner__active=True))
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint, event=event, fact_check_id=fact_check_id, body="", created_at=now, next_attempt_at=now
        )
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: webhooks_enqueue(delivery_ids=ids), robust=True)
    return ids


def webhooks_enqueue(*, delivery_ids: list[int]) -> int:
    """Send the delivery jobs; stop at the first broker failure (each would wait for the
    broker's timeout) and leave the rest to `requeue_webhooks`. Returns how many were sent."""
    for sent, pk in enumerate(delivery_ids):
        try:
            jobs.task("deliver_webhook").delay(pk)
        except Exception:
            log.warning("Could not queue webhook deliveries %s; the periodic re-queue will", delivery_ids[sent:])
            return sent
    return len(delivery_ids)


def _freeze_body(delivery: WebhookDelivery) -> None:
    """Write the body on the first attempt, after the publishing transaction committed (the
    claim's public address is only set at its very end); retries resend it unchanged."""
    row = load(delivery.fact_check_id)
    item = fact_check_item(row) if row is not None else {"id": delivery.fact_check_id, "status": "retracted"}
    body = {"event": delivery.event, "delivery": delivery.pk, "occurred_at": iso(delivery.created_at), **item}
    delivery.body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _allowed() -> list[netsafe.Network]:
    return netsafe.networks(settings.WEBHOOK_ALLOWED_NETWORKS)


def check_url(url: str) -> None:
    """Refuse webhook URLs we would not POST to: not http(s), or a host that is unknown or
    points to a private or local address (unless its network is allowed in settings). The
    same check runs again at every delivery, since DNS answers change (and a host not yet
    in DNS is accepted now, checked then)."""
    try:
        netsafe.check_url(url, allowed=_allowed())
    except netsafe.UnknownHost:
        pass  # not (yet) in DNS: nothing to refuse; every delivery checks again
    except netsafe.NetworkError as exc:
        raise ValidationError(f"This webhook URL cannot be used: {exc}", code="invalid_url") from None


def webhook_endpoint_create(*, partner_id: int, url: str) -> WebhookEndpoint:
    """Register a webhook URL for a partner, within WEBHOOK_MAX_ENDPOINTS and once per URL."""
    check_url(url)
    with transaction.atomic():
        # Serialises registrations of one partner, so two at once cannot pass the cap.
        partner = Partner.objects.select_for_update().get(pk=partner_id)
        existing = list(WebhookEndpoint.objects.filter(partner=partner).values_list("url", flat=True))
        if url in existing:
            raise ValidationError({"url": ["This URL is already registered."]})
        if len(existing) >= settings.WEBHOOK_MAX_ENDPOINTS:
            raise ValidationError(
                {
                    "url": [
                        f"A partner can register at most {settings.WEBHOOK_MAX_ENDPOINTS} webhook URLs; "
                        "delete one you no longer use first."
                    ]
                }
            )
        return WebhookEndpoint.objects.create(partner=partner, url=url)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    response = netsafe.request(
        "POST",
        url,
        headers=headers,
        body=body,
        allowed=_allowed(),
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        deadline=settings.WEBHOOK_DEADLINE_SECONDS,
        max_bytes=64 * 1024,  # we only need the status
        truncate=True,
    )
    return response.status


def webhook_attempt(*, delivery_id: int) -> bool:
    """POST the delivery once and log the outcome on it. True when nothing more is to be
    done (delivered, refused for good, given up, or gone); False when it is worth trying
    again at its `next_attempt_at`.

    The attempt is recorded (status retrying, one more attempt, a lease as the next time)
    before anything is sent, so a worker killed or timed out mid-POST leaves a delivery
    that `requeue_webhooks` picks up, never one pending with no attempts."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return True
    endpoint = delivery.endpoint
    if not delivery.body:
        _freeze_body(delivery)
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.WEBHOOK_DEADLINE_SECONDS + 60)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        attempts=delivery.attempts,
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
    ).update(
        body=delivery.body,
        attempts=delivery.attempts + 1,
        status=WebhookDelivery.Status.RETRYING,
        last_attempt_at=now,
        next_attempt_at=lease,
        error="The attempt was interrupted before the receiver answered.",
    )
    if not claimed:  # another worker is on it, or it just finished
        return True
    delivery.attempts += 1
    delivery.last_attempt_at = now
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.WEBHOOK_USER_AGENT,
        "X-Factcheck-Event": delivery.event,
        "X-Factcheck-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(body, endpoint.secret),
    }
    done = False
    try:
        status = _post(endpoint.url, body, headers)
    except netsafe.AddressRefused as exc:
        delivery.status, delivery.error, done = WebhookDelivery.Status.FAILED, f"{exc} Not sent.", True
    except netsafe.DeadlineExceeded as exc:
        delivery.status, delivery.error = WebhookDelivery.Status.RETRYING, str(exc)
    except netsafe.NetworkError as exc:
        delivery.status, delivery.error = WebhookDelivery.Status.RETRYING, f"Could not connect: {exc}"
    else:
        delivery.response_status = status
        if 200 <= status < 300:
            delivery.status, delivery.error, done = WebhookDelivery.Status.DELIVERED, "", True
            delivery.delivered_at = timezone.now()
        elif status >= 500 or status in RETRY_STATUSES:
            delivery.status, delivery.error = WebhookDelivery.Status.RETRYING, f"The receiver answered {status}."
        else:
            delivery.status, done = WebhookDelivery.Status.FAILED, True
            delivery.error = f"The receiver refused the event with {status}; not retried."
    if not done and delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, done = WebhookDelivery.Status.FAILED, True
        delivery.error += f" Gave up after {delivery.attempts} attempts."
    delivery.next_attempt_at = (
        None if done else timezone.now() + datetime.timedelta(seconds=backoff(delivery.attempts - 1))
    )
    delivery.save(
        update_fields=[
            "status",
            "error",
            "response_status",
            "delivered_at",
            "next_attempt_at",
            "attempts",
            "last_attempt_at",
        ]
    )
    return done


def webhook_interrupted(*, delivery_id: int, reason: str) -> datetime.datetime | None:
    """Record that an attempt was cut short (a time limit), and when to try again; None
    when the delivery has used its attempts (it is then failed)."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.RETRYING).first()
    if delivery is None:
        return None
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        delivery.error = f"{reason} Gave up after {delivery.attempts} attempts."
    else:
        delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=backoff(delivery.attempts - 1))
        delivery.error = reason
    delivery.save(update_fields=["status", "error", "next_attempt_at"])
    return delivery.next_attempt_at


def webhooks_requeue_due() -> int:
    """Queue again the deliveries pending or retrying well past their time: their job was
    lost (the broker was down when they were queued, the worker died, a retry message was
    dropped). Returns how many were queued."""
    late = timezone.now() - settings.WEBHOOK_REQUEUE_AFTER
    ids = list(
        WebhookDelivery.objects.filter(
            Q(next_attempt_at__lt=late) | Q(next_attempt_at__isnull=True, created_at__lt=late),
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    return webhooks_enqueue(delivery_ids=ids)


def backoff(retries: int) -> int:
    """Seconds before the next try: 30 s, 1.5 min, 4.5 min … capped at an hour."""
    return min(3600, 30 * 3**retries)
