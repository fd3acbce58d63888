"""Admin for partners: their keys (revocable), webhook endpoints and deliveries, and the
public record of fact-checks."""

from __future__ import annotations

import itertools

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from rest_framework_api_key.admin import APIKeyModelAdmin

from .. import roles
from ..api.auth import forget_keys
from ..models import FactCheck, Partner, PartnerAPIKey, WebhookDelivery, WebhookEndpoint
from ..publishing import exports


class WebhookEndpointInline(admin.TabularInline):
    model = WebhookEndpoint
    extra = 0
    fields = ("url", "active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "throttle_rate", "contact_email", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "contact_email")
    inlines = [WebhookEndpointInline]


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Keys are made by `manage.py create_partner` or here (the key is shown once, on save);
    tick "revoked" to revoke one for good."""

    # APIKeyModelAdmin leaves its tuples unannotated, so mypy takes their exact lengths for
    # their types; ModelAdmin's own stubs accept any sequence of names.
    list_display = (*APIKeyModelAdmin.list_display, "partner", "last_used_at")  # type: ignore[assignment]
    list_filter = ("partner", "revoked", "created")  # type: ignore[assignment]
    search_fields = ("name", "prefix", "partner__name")  # type: ignore[assignment]
    list_select_related = ("partner",)
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "last_used_at")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset) -> None:
        prefixes = list(queryset.filter(revoked=False).values_list("prefix", flat=True))
        count = queryset.filter(prefix__in=prefixes).update(revoked=True)
        forget_keys(*prefixes)  # update() sends no signal
        self.message_user(request, f"{count} key(s) revoked.")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "partner", "active", "created_at")
    list_filter = ("active", "partner")
    search_fields = ("url", "partner__name")
    list_select_related = ("partner",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "fact_check_id", "endpoint", "status", "attempts", "response_status", "created_at")
    list_filter = ("status", "event", "endpoint__partner")
    search_fields = ("fact_check_id", "endpoint__url", "error")
    list_select_related = ("endpoint",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ("claim_id", "claim", "status", "first_published_at", "changed_at", "retracted_at")
    list_filter = ("status",)
    search_fields = ("claim__text",)
    list_select_related = ("claim",)
    readonly_fields = [f.name for f in FactCheck._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/<str:fmt>/", export, name="claims_factcheck_export"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "can_export": roles.is_editor(request.user)})

    def export_view(self, request, fmt: str):
        """The published fact-checks the changelist shows now (its filters and search), as
        a streamed download; `?since=YYYY-MM-DD` keeps those published or changed since."""
        if not roles.is_editor(request.user):
            raise PermissionDenied
        if not exports.is_format(fmt):
            raise Http404("No such export format.")
        changelist_url = reverse("admin:claims_factcheck_changelist")
        request.GET = request.GET.copy()  # the changelist refuses parameters it does not know
        since = request.GET.pop("since", [""])[-1]
        try:
            day = exports.since_parse(since) if since else None
            base = self.get_changelist_instance(request).queryset
        except (ValueError, IncorrectLookupParameters) as exc:
            self.message_user(request, str(exc) or "Those filters are not valid.", messages.ERROR)
            return HttpResponseRedirect(changelist_url)
        lines = exports.factchecks_export(since=day, fmt=fmt, base=base)
        if fmt == "csv":
            lines = itertools.chain(["\ufeff"], lines)  # the byte-order mark tells Excel it is UTF-8
        response = StreamingHttpResponse(
            exports.lines_batched(lines), content_type=f"{exports.FORMATS[fmt]}; charset=utf-8"
        )
        filename = exports.export_filename(fmt=fmt, since=day)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
