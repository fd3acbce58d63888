"""Webhooks: publications, corrections and retractions POSTed to partners' URLs.

An event becomes one `WebhookDelivery` per active endpoint in the transaction that
published (or retracted) the verdict; a Celery job, enqueued after commit, freezes its
body on the first attempt and POSTs it signed with HMAC-SHA256 over the body (header `X-Factcheck-Signature:
sha256=<hex>`) and retries with backoff. The receiver must answer 2xx.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from urllib.parse import urlsplit

import urllib3
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Factcheck-Signature"
# Answers worth trying again; any other 4xx means the receiver refuses this event.
RETRY_STATUSES = {408, 409, 425, 429}


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_events_record(*, fact_check_id: int, event: str) -> list[int]:
    """Record the event for every active endpoint, in the caller's transaction, and queue
    the deliveries after commit. Returns the delivery ids."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True, partner__active=True))
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, fact_check_id=fact_check_id, body="") for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: [deliver_webhook.delay(pk) for pk in ids])
    return ids


def _freeze_body(delivery: WebhookDelivery) -> None:
    """Write the body on the first attempt, after the publishing transaction committed (the
    claim's public address is only set at its very end); retries resend it unchanged."""
    from .api.claimreview import fact_check_item, iso, load

    row = load(delivery.fact_check_id)
    item = fact_check_item(row) if row is not None else {"id": delivery.fact_check_id, "status": "retracted"}
    body = {"event": delivery.event, "delivery": delivery.pk, "occurred_at": iso(delivery.created_at), **item}
    delivery.body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def check_url(url: str) -> None:
    """Refuse webhook URLs we would not POST to: not http(s), or (at delivery time) a
    private or local address, unless its network is allowed in settings."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("A webhook URL must be an http or https address with a host.", code="invalid_url")


def _resolve(host: str, port: int) -> str:
    allowed = [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OSError(f"The host {host!r} does not exist (DNS lookup failed).") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global and not any(address in net for net in allowed):
            raise PermissionError(f"{host} points to a private or local address ({address}); not sent.")
    return infos[0][4][0]


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = _resolve(parts.hostname or "", port)
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS)
    if parts.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            ip, port, server_hostname=parts.hostname, assert_hostname=parts.hostname, timeout=timeout, retries=False
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], **headers}
    with pool:
        response = pool.urlopen("POST", path, body=body, headers=headers, redirect=False, preload_content=False)
        response.read(64 * 1024, decode_content=False)  # drain a little; we only need the status
        response.release_conn()
        return response.status


def webhook_attempt(*, delivery_id: int) -> bool:
    """POST the delivery once and log the outcome on it. True when nothing more is to be
    done (delivered, refused for good, or gone); False when it is worth trying again."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return True
    endpoint = delivery.endpoint
    if not delivery.body:
        _freeze_body(delivery)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.WEBHOOK_USER_AGENT,
        "X-Factcheck-Event": delivery.event,
        "X-Factcheck-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(body, endpoint.secret),
    }
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    done = False
    try:
        status = _post(endpoint.url, body, headers)
    except PermissionError as exc:
        delivery.status, delivery.error, done = WebhookDelivery.Status.FAILED, str(exc), True
    except (OSError, urllib3.exceptions.HTTPError) as exc:
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
    delivery.save()
    return done


def webhook_give_up(*, delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.RETRYING).update(
        status=WebhookDelivery.Status.FAILED
    )


def backoff(retries: int) -> int:
    """Seconds before the next try: 30 s, 1.5 min, 4.5 min … capped at an hour."""
    return min(3600, 30 * 3**retries)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> None:
    if webhook_attempt(delivery_id=delivery_id):
        return
    if self.request.retries + 1 >= settings.WEBHOOK_MAX_ATTEMPTS:
        webhook_give_up(delivery_id=delivery_id)
        return
    raise self.retry(countdown=backoff(self.request.retries))
