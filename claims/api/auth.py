"""Partner API keys: `Authorization: Api-Key <key>`.

Keys are stored hashed (djangorestframework-api-key); a request authenticated by a key has
no Django user (`request.user` is anonymous) and the key as `request.auth`, which the
permissions and the per-key throttle read.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import PartnerAPIKey

KEYWORD = "Api-Key"
# Recording every use would add a write to every request; once a minute is enough to
# tell a key in use from a forgotten one.
LAST_USED_RESOLUTION_SECONDS = 60


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        if not key or " " in key:
            raise exceptions.AuthenticationFailed(f"Send the key as 'Authorization: {KEYWORD} <key>'.")
        prefix = key.partition(".")[0]
        api_key = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed("This API key is not valid.")
        if api_key.revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked; ask us for a new one.")
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("This API key has expired; ask us for a new one.")
        if not api_key.partner.active:
            raise exceptions.AuthenticationFailed("This partner's access is suspended.")
        if cache.add(f"api-key-used:{api_key.pk}", 1, LAST_USED_RESOLUTION_SECONDS):
            PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
        return AnonymousUser(), api_key

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Describes the key header in the OpenAPI schema."""

    target_class = PartnerKeyAuthentication
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"'{KEYWORD} <key>', the key `manage.py create_partner` printed.",
        }
