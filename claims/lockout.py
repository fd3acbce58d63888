"""Login lockout (django-axes, configured in settings): the client's address as axes should
see it, and the log lines for a lockout and its release."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest

log = logging.getLogger("claims.lockout")


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address the outermost of them
    saw (X-Forwarded-For's entries to its left are the client's to forge)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    if settings.PROXY_COUNT <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-settings.PROXY_COUNT] if len(hops) >= settings.PROXY_COUNT else remote


@receiver(user_locked_out, dispatch_uid="log_login_lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log.warning(
        "Login locked out for %s: account %r from %s, after %s failed sign-ins; released after %s.",
        request.path if request is not None else "a login",
        username,
        ip_address,
        settings.AXES_FAILURE_LIMIT,
        settings.AXES_COOLOFF_TIME,
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="log_login_release")
def log_release(sender, instance: AccessAttempt, **kwargs) -> None:
    """Failed attempts are deleted when their cool-off has passed, when the person signs in,
    or when an editor resets them (`manage.py axes_reset`, the admin)."""
    if instance.failures_since_start >= settings.AXES_FAILURE_LIMIT:
        log.warning(
            "Login lockout released: account %r from %s (%s failed sign-ins).",
            instance.username,
            instance.ip_address,
            instance.failures_since_start,
        )
