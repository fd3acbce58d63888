"""The API: published fact-checks and speakers for partners, staff endpoints, webhooks.

Read endpoints answer with an ETag (a hash of the body) and Last-Modified, and 304 to a
repeat request carrying them (`api.responses`); the partner list's common request takes a
faster path (`api.lean`).
"""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import services
from ..models import Article, Claim, FactCheck, Quote, Speaker, Verdict, WebhookEndpoint
from ..publishing.claimreview import SCHEMA_ORG, claim_review, fact_check_item, fact_check_items
from ..publishing.webhooks import webhook_endpoint_create
from ..queries.claimreview import load, with_corrections
from ..workflow import verdict_retract
from . import serializers as s
from .filters import ClaimFilter, FactCheckFilter
from .lean import LeanListMixin, partner_rows
from .pagination import ClaimPagination, FactCheckPagination, SignedCursorPagination, SpeakerPagination
from .permissions import IsEditor, IsKeyPartner, IsStaffMember, ReadsPublished, partner_key
from .responses import ConditionalGetMixin, FilterWhenAsked, JSONLDRenderer, StrictQueryMixin, wants_jsonld
from .rows import psycopg_rows

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
        queryset = partner_rows().all()
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
