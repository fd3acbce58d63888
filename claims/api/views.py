"""The API: published fact-checks and speakers for partners, staff endpoints, webhooks.

Read endpoints answer with an ETag (a hash of the body) and Last-Modified, and 304 to a
repeat request carrying them.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .. import services
from ..models import Article, Claim, FactCheck, Quote, Speaker, Verdict, WebhookEndpoint
from ..publishing.claimreview import SCHEMA_ORG, Row, claim_review, fact_check_item, fact_check_items
from ..publishing.webhooks import webhook_endpoint_create
from ..queries.claimreview import load, with_corrections
from ..workflow import verdict_retract
from . import serializers as s
from .auth import KEYWORD, PartnerCredentials
from .filters import ClaimFilter, FactCheckFilter
from .pagination import ClaimPagination, FactCheckPagination, SignedCursorPagination, SpeakerPagination
from .permissions import IsEditor, IsKeyPartner, IsStaffMember, ReadsPublished, partner_key
from .rows import CompiledPages, psycopg_rows

if TYPE_CHECKING:
    # The mixins below extend DRF's view sets; typed as one, they see what they call.
    _ViewSet = viewsets.GenericViewSet
else:
    _ViewSet = object


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def wants_jsonld(request) -> bool:
    return getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "jsonld"


class ConditionalGetMixin(_ViewSet):
    """ETag from the rendered body, Last-Modified from `self.last_modified`, and 304 when
    the client's copy is current. Responses vary by who asks and in which format."""

    last_modified: datetime.datetime | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        return self.conditional_response(request, response)

    def conditional_response(self, request, response):
        """`response` (rendered) with its ETag and Last-Modified, or 304 when the client's
        copy is current."""
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        # HTTP dates have whole seconds. A change later in the same second as the last one
        # would not move Last-Modified, and If-Modified-Since would hide it: while that
        # second is still open, the ETag alone stands.
        timestamp = None
        if self.last_modified is not None and time.time() - self.last_modified.timestamp() >= 1:
            timestamp = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


class FilterWhenAsked(DjangoFilterBackend):
    """django-filter, skipped when the request names no filter (most sync polls): building
    and validating the filter form costs more than the rest of a small page."""

    def filter_queryset(self, request, queryset, view):
        names = getattr(view, "filterset_class", None) and view.filterset_class.base_filters
        if names and not any(name in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictQueryMixin(_ViewSet):
    """Refuse query parameters the endpoint does not know (a misspelt filter would otherwise
    silently return everything) and NUL characters (no database takes them)."""

    extra_query_params: tuple[str, ...] = ("cursor", "page_size")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        params = request.query_params
        if any("\x00" in key or any("\x00" in v for v in params.getlist(key)) for key in params):
            raise ValidationError({"detail": "Query parameters cannot contain NUL characters."})
        known = set(self.extra_query_params)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        unknown = sorted(set(params) - known)
        if unknown and getattr(self, "action", None) == "list":
            names, known_names = ", ".join(unknown)[:200], ", ".join(sorted(known))
            raise ValidationError({"detail": f"Unknown query parameter(s): {names}. Known: {known_names}."})


@functools.cache
def _partner_rows():
    # Built once: setting up a 27-field, five-join values() query costs more than running it.
    return FactCheck.objects.for_partners()


@functools.cache
def _published_pages() -> CompiledPages:
    # And compiled once per page shape: compiling it costs about as much as running it.
    return CompiledPages(_partner_rows().published())


class LeanListMixin(ConditionalGetMixin):
    """The list as most partners poll it (a key, JSON, at most a page size and a cursor)
    served without DRF's request cycle, which cost a page of 100 more CPU than reading its
    rows: the same authentication, permission and throttle classes, run directly, and the
    same paginator, renderer, headers and body byte for byte. Anything else (a filter,
    JSON-LD, a login, a refused or bad request) goes through DRF as before; a request this
    path throttled is refused there without being counted twice."""

    LEAN_PARAMS = frozenset({"cursor", "page_size"})
    LEAN_ACCEPTS = frozenset({None, "*/*", "application/json"})
    lean_renderer = JSONRenderer()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and self.action_map.get("get") == "list" and not args and not kwargs:
            response = self.lean_list(request)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request):
        refused = getattr(request._request, "_lean_refused", None)
        if refused is None:
            return super().check_throttles(request)
        self.throttled(request, refused[0])

    def lean_list(self, request) -> HttpResponse | None:
        """The list's response, or None when DRF has to answer."""
        meta = request.META
        scheme = meta.get("HTTP_AUTHORIZATION", "").partition(" ")[0]
        params = request.GET
        if (
            scheme.lower() != KEYWORD.lower()
            or meta.get("HTTP_ACCEPT") not in self.LEAN_ACCEPTS
            or not params.keys() <= self.LEAN_PARAMS
            or any(len(values) != 1 or "\x00" in values[0] for _, values in params.lists())
            or getattr(request, "_force_auth_user", None) is not None
            or getattr(request, "_force_auth_token", None) is not None
        ):
            return None
        drf_request = Request(request)
        paginator = self.paginator
        if not isinstance(paginator, SignedCursorPagination):
            return None
        try:  # checked before anything is counted: DRF answers a bad one
            paginator.get_page_size(drf_request)
            paginator.decode_cursor(drf_request)
        except ValidationError:
            return None
        for authenticator in self.get_authenticators():
            try:
                found = authenticator.authenticate(drf_request)
            except APIException:
                return None
            if found is not None:
                break
        else:
            return None
        if not isinstance(found[1], PartnerCredentials):
            return None
        # What Request._authenticate sets; the stubs leave this private attribute out.
        drf_request._authenticator = authenticator  # type: ignore[attr-defined]
        drf_request.user, drf_request.auth = found
        if not all(permission.has_permission(drf_request, self) for permission in self.get_permissions()):
            return None
        waits = [t.wait() for t in self.get_throttles() if not t.allow_request(drf_request, self)]
        if waits:
            request._lean_refused = (max((w for w in waits if w is not None), default=None),)
            return None
        self.request, self.action, self.format_kwarg = drf_request, "list", None
        # CompiledPages stands in for the queryset: the paginator only orders, filters and
        # slices it, though the stubs ask for a QuerySet.
        rows: list[Row] | None = paginator.paginate_queryset(
            _published_pages(),  # type: ignore[arg-type]
            drf_request,
            view=self,
        )
        assert rows is not None  # a cursor paginator always has a page size
        page = with_corrections(rows)
        self.last_modified = max((row["changed_at"] for row in page), default=None)
        data = {
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": fact_check_items(page),
        }
        response = HttpResponse(self.lean_renderer.render(data, "application/json"), content_type="application/json")
        response["Vary"] = "Accept, Authorization, Cookie"
        response["Allow"] = ", ".join(self.allowed_methods)
        return self.conditional_response(drf_request, response)


GONE = OpenApiResponse(
    inline_serializer(
        "Tombstone",
        {
            "id": serializers.IntegerField(),
            "status": serializers.CharField(),
            "retracted_at": serializers.DateTimeField(),
        },
    ),
    description="Retracted: delete your copy.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Published fact-checks, newest change first",
        description=(
            "Cursor-paginated. Poll with `updated_since` to sync: you get new fact-checks, corrections "
            '(same id, higher `version`) and retractions (tombstones: `status` "retracted"). '
            "`updated_since` is inclusive; re-poll from the `date_modified` of the newest item you saw "
            "minus a minute, and upsert by id. `Accept: application/ld+json` answers a JSON-LD @graph "
            "of ClaimReviews, with the next page in the Link header."
        ),
        responses={
            (200, "application/json"): s.FactCheckSerializer(many=True),
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
        },
    ),
    retrieve=extend_schema(
        summary="One fact-check",
        responses={
            (200, "application/json"): s.FactCheckSerializer,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (410, "application/json"): GONE,
        },
    ),
)
class FactCheckViewSet(LeanListMixin, ConditionalGetMixin, StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReadsPublished]
    extra_query_params = ("cursor", "page_size", "format")  # ?format=jsonld, as Accept would
    renderer_classes = [JSONRenderer, JSONLDRenderer]
    serializer_class = s.FactCheckSerializer
    pagination_class = FactCheckPagination
    filter_backends = [FilterWhenAsked]
    filterset_class = FactCheckFilter
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        queryset = _partner_rows().all()
        if self.action == "list" and not self.request.query_params.get("updated_since"):
            queryset = queryset.published()  # tombstones only matter to those syncing
        return queryset

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(psycopg_rows(self.filter_queryset(self.get_queryset())))
        assert rows is not None  # pagination_class is set
        page = with_corrections(rows)
        self.last_modified = max((row["changed_at"] for row in page), default=None)
        if wants_jsonld(request):
            graph = [review for review in map(claim_review, page) if review is not None]
            response = Response({"@context": SCHEMA_ORG, "@graph": graph})
            assert isinstance(self.paginator, SignedCursorPagination)  # pagination_class
            if next_link := self.paginator.get_next_link():
                response["Link"] = f'<{next_link}>; rel="next"'
            return response
        # The items as FactCheckSerializer declares them, built without its list wrapper.
        return self.get_paginated_response(fact_check_items(page))

    def retrieve(self, request, *args, **kwargs):
        row = with_corrections([self.get_object()])[0]
        self.last_modified = row["changed_at"]
        if row["status"] == FactCheck.Status.RETRACTED:
            item = fact_check_item(row)
            return Response(
                {"id": item["id"], "status": item["status"], "retracted_at": item["retracted_at"]},
                status=status.HTTP_410_GONE,
            )
        if wants_jsonld(request):
            return Response(claim_review(row))
        return Response(self.get_serializer(row).data)

    @extend_schema(
        summary="Retract a published fact-check (editors)",
        request=s.RetractSerializer,
        responses={200: s.FactCheckSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsEditor], renderer_classes=[JSONRenderer])
    def retract(self, request, pk=None):
        body = s.RetractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = self.get_object()
        if row["verdict_id"] is None:
            raise ValidationError({"detail": "This fact-check is already retracted."})
        verdict = Verdict.objects.select_related("claim").get(pk=row["verdict_id"])
        data = body.validated_data
        verdict_retract(verdict=verdict, by=request.user, reason=data["reason"], revision=data["version"])
        record = load(row["claim_id"])
        assert record is not None  # a retracted fact-check keeps its record, as a tombstone
        return Response(fact_check_item(record))


@extend_schema_view(
    list=extend_schema(summary="Speakers with published fact-checks"),
    retrieve=extend_schema(summary="One speaker, with their latest published fact-checks (up to 100)"),
)
class SpeakerViewSet(ConditionalGetMixin, StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReadsPublished]
    pagination_class = SpeakerPagination
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        published = Q(claims__fact_check__status=FactCheck.Status.PUBLISHED)
        return (
            Speaker.objects.annotate(
                fact_check_count=Count("claims__fact_check", filter=published),
                last_changed=Max("claims__fact_check__changed_at", filter=published),
            )
            .filter(fact_check_count__gt=0)
            .prefetch_related("aliases")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # pagination_class is set
        self.last_modified = max((speaker.last_changed for speaker in page), default=None)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        return s.SpeakerDetailSerializer if self.action == "retrieve" else s.SpeakerSerializer

    def retrieve(self, request, *args, **kwargs):
        speaker = self.get_object()
        speaker.published_fact_checks = list(
            FactCheck.objects.for_partners().published().filter(claim__speaker=speaker).order_by("-changed_at")[:100]
        )
        self.last_modified = max((row["changed_at"] for row in speaker.published_fact_checks), default=None)
        return Response(self.get_serializer(speaker).data)


@extend_schema_view(
    create=extend_schema(
        summary="Submit an article by URL or text (staff)",
        request=s.ArticleSubmitSerializer,
        responses={202: s.ArticleStatusSerializer, 200: s.ArticleStatusSerializer},
    ),
    retrieve=extend_schema(summary="An article's processing status, quotes and claims (staff)"),
)
class ArticleViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsStaffMember]
    serializer_class = s.ArticleSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return Article.objects.defer("body", "raw_html").prefetch_related(
            Prefetch("quotes", Quote.objects.select_related("speaker").order_by("start")),
            Prefetch("claims", Claim.objects.select_related("speaker").order_by("start", "id")),
        )

    def create(self, request, *args, **kwargs):
        body = s.ArticleSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        submission = services.article_submit(
            url=data.get("url", ""), text=data.get("text", ""), title=data.get("title", ""), by=request.user
        )
        article = submission.article
        out = s.ArticleStatusSerializer(article, context={"request": request}).data
        out["message"] = submission.message
        return Response(
            out,
            status=status.HTTP_202_ACCEPTED if submission.created else status.HTTP_200_OK,
            headers={"Location": out["status_url"]},
        )


@extend_schema_view(
    list=extend_schema(summary="Claims, with the workbench's filters (staff)"),
    retrieve=extend_schema(summary="One claim (staff)"),
)
class ClaimViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsStaffMember]
    serializer_class = s.ClaimSerializer
    pagination_class = ClaimPagination
    filter_backends = [FilterWhenAsked]
    filterset_class = ClaimFilter
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return Claim.objects.select_related("speaker", "assignee")


@extend_schema_view(
    create=extend_schema(
        summary="Register a webhook URL (partners)",
        request=s.WebhookSerializer,
        responses={201: s.WebhookCreatedSerializer},
    ),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your webhook endpoints. Each receives publications, corrections and retractions as
    POSTs whose X-Factcheck-Signature header is sha256=HMAC-SHA256(secret, body) in hex."""

    permission_classes = [IsKeyPartner]
    serializer_class = s.WebhookSerializer
    pagination_class = None
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        key = partner_key(self.request)
        if key is None:  # refused by IsKeyPartner before it gets here
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(partner_id=key.partner_id)

    def create(self, request, *args, **kwargs):
        body = s.WebhookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = partner_key(request)
        assert key is not None  # IsKeyPartner let the request in
        endpoint = webhook_endpoint_create(partner_id=key.partner_id, url=body.validated_data["url"])
        location = reverse("api:webhook-detail", args=[endpoint.pk])
        return Response(
            s.WebhookCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )
