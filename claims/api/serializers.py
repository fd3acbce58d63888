"""What the API shows and accepts.

Partner-facing output (fact-checks, speakers) is built by the plain functions in
`claimreview`; the serializers here declare its shape for the OpenAPI schema and carry
no author, approver, comment or unpublished text.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Article, Claim, FactCheck, Quote, Speaker, WebhookEndpoint
from ..publishing.claimreview import fact_check_item, fact_check_summary
from ..publishing.webhooks import check_url

# Partner output ---------------------------------------------------------------------------

_THING = {"type": "object", "properties": {"@type": {"type": "string"}, "name": {"type": "string"}}}
CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "The fact-check as schema.org ClaimReview (JSON-LD); null for a retraction.",
    "required": ["@context", "@type", "url", "claimReviewed", "itemReviewed", "author", "reviewRating"],
    "properties": {
        "@context": {"type": "string", "example": "https://schema.org"},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "headline": {"type": "string"},
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "author": _THING,
        "itemReviewed": {
            "type": "object",
            "properties": {
                "@type": {"type": "string", "enum": ["Claim"]},
                "author": _THING,
                "datePublished": {"type": "string", "format": "date-time"},
                "appearance": {"type": "array", "items": {"type": "object"}},
            },
        },
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string"},
            },
        },
    },
}


@extend_schema_field(CLAIM_REVIEW_SCHEMA)
class ClaimReviewField(serializers.JSONField):
    pass


class SpeakerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class ArticleRefSerializer(serializers.Serializer):
    url = serializers.URLField(allow_null=True)
    title = serializers.CharField()
    outlet = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class ClaimedSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The claim as checked (the statement the rating is about).")
    speaker = SpeakerRefSerializer(allow_null=True)
    article = ArticleRefSerializer(allow_null=True)
    date = serializers.DateField(allow_null=True, help_text="When the claim was made.")
    appearance = serializers.URLField(allow_null=True, help_text="Where the claim appeared.")


class RatingSerializer(serializers.Serializer):
    # The serializer's metaclass takes declared fields off the class, so this field does not
    # replace Field.label; the stubs cannot see that.
    label = serializers.CharField()  # type: ignore[assignment]
    slug = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="1 (false) to 5 (true); null off the scale.")


class EvidenceSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    excerpt = serializers.CharField()
    stance = serializers.CharField()
    source_kind = serializers.CharField()
    archived_url = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    date_published = serializers.DateTimeField(allow_null=True)
    rating = serializers.CharField(allow_null=True)
    headline = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField(), help_text="What this version changed, in words.")


class FactCheckSerializer(serializers.Serializer):
    """A published fact-check, or the tombstone of a retracted one (status "retracted",
    every field but id, status, date_modified and retracted_at null)."""

    id = serializers.IntegerField(help_text="Stable across corrections: keep one copy per id.")
    status = serializers.ChoiceField(choices=FactCheck.Status.choices)
    date_modified = serializers.DateTimeField(help_text="Last publication, correction or retraction.")
    retracted_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(allow_null=True, help_text="The public page.")
    version = serializers.IntegerField(allow_null=True, help_text="Goes up with each correction.")
    date_published = serializers.DateTimeField(allow_null=True, help_text="First publication.")
    claim = ClaimedSerializer(allow_null=True)
    rating = RatingSerializer(allow_null=True)
    headline = serializers.CharField(allow_null=True)
    analysis = serializers.CharField(allow_null=True)
    evidence = EvidenceSerializer(many=True, allow_null=True)
    changes = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="What this version changed from the one it corrected (rating, text, evidence), in words.",
    )
    corrections = CorrectionSerializer(many=True, allow_null=True, help_text="Earlier versions, newest first.")
    claim_review = ClaimReviewField()

    def to_representation(self, row: dict) -> dict:
        return fact_check_item(row)


class FactCheckSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    claim = serializers.CharField()
    rating = serializers.CharField(allow_null=True)
    headline = serializers.CharField()
    date_published = serializers.DateTimeField()
    date_modified = serializers.DateTimeField()

    def to_representation(self, row: dict) -> dict:
        return fact_check_summary(row)


class SpeakerSerializer(serializers.ModelSerializer):
    # many=True makes a ManyRelatedField (RelatedField.__new__); the stubs' __new__ says so,
    # but mypy types a constructor call by the class alone.
    aliases: serializers.ManyRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        many=True, read_only=True, slug_field="alias"
    )
    fact_check_count = serializers.IntegerField(read_only=True)
    fact_checks_url = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "role",
            "organisation",
            "wikidata_id",
            "aliases",
            "fact_check_count",
            "fact_checks_url",
        ]

    def get_fact_checks_url(self, speaker: Speaker) -> str:
        return f"{reverse('api:fact-check-list')}?speaker={speaker.pk}"


class SpeakerDetailSerializer(SpeakerSerializer):
    fact_checks = FactCheckSummarySerializer(many=True, read_only=True, source="published_fact_checks")

    class Meta(SpeakerSerializer.Meta):
        fields = [*SpeakerSerializer.Meta.fields, "fact_checks"]


class RetractSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text="Why; kept internal, never shown to partners.")
    version = serializers.IntegerField(
        min_value=1,
        help_text="The fact-check's `version` as you read it; if a correction replaced it since, 409.",
        error_messages={
            "required": "Say which version of the fact-check you read (`version`): without it a retraction "
            "could take down a correction you have not seen."
        },
    )


# Staff ------------------------------------------------------------------------------------


class ArticleSubmitSerializer(serializers.Serializer):
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, data: dict) -> dict:
        if bool(data.get("url", "").strip()) == bool(data.get("text", "").strip()):
            raise serializers.ValidationError("Give either the article's url or its text.", code="one_source")
        return data


class ArticleStatusSerializer(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()
    message = serializers.CharField(read_only=True, required=False)

    class Meta:
        model = Article
        fields = ["id", "status", "status_url", "message"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_status_url(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:article-detail", args=[article.pk]))


class SpeakerNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "slug"]


class QuoteSerializer(serializers.ModelSerializer):
    speaker = SpeakerNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = ["id", "text", "start", "end", "speaker", "direct", "partial", "cue", "attribution", "confidence"]


class ArticleClaimSerializer(serializers.ModelSerializer):
    speaker = SpeakerNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Claim
        fields = ["id", "text", "start", "end", "kind", "score", "status", "speaker", "quote"]


class ArticleSerializer(serializers.ModelSerializer):
    quotes = QuoteSerializer(many=True, read_only=True)
    claims = ArticleClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "title",
            "outlet",
            "byline",
            "published_at",
            "language",
            "status",
            "error",
            "extractor_version",
            "created_at",
            "quotes",
            "claims",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    speaker = SpeakerNameSerializer(read_only=True, allow_null=True)
    assignee: serializers.SlugRelatedField = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "kind",
            "status",
            "score",
            "priority",
            "assignee",
            "due_date",
            "speaker",
            "article",
            "quote",
            "start",
            "end",
            "numbers",
            "origin",
            "duplicate_of",
            "slug",
            "version",
            "created_at",
            "updated_at",
        ]


# Partner webhooks --------------------------------------------------------------------------


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "active", "created_at"]
        read_only_fields = ["active", "created_at"]

    def validate_url(self, url: str) -> str:
        try:
            check_url(url)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return url


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: verify X-Factcheck-Signature with it.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
