"""The OpenAPI schema, its docs, and a bounded schemathesis run against it: no 500s and no
response that breaks the schema, for a partner key and for an editor's token."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from .builders import bulk_published, partner_key
from .factories import ArticleFactory, ClaimFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    for path in ("/api/v1/fact-checks/", "/api/v1/fact-checks/{id}/", "/api/v1/speakers/", "/api/v1/articles/"):
        assert path in body["paths"]
    params = {p["name"] for p in body["paths"]["/api/v1/fact-checks/"]["get"]["parameters"]}
    assert {"updated_since", "published_since", "speaker", "rating", "q", "url", "cursor", "page_size"} <= params
    assert Client().get("/api/docs/").status_code == 200


@pytest.fixture
def credentials(request, editor, second_editor) -> dict[str, str]:
    bulk_published(3, author=editor, approver=second_editor)
    article = ArticleFactory(url="https://news.example.com/a")
    QuoteFactory(article=article)
    ClaimFactory(article=article)
    if request.param == "partner":
        _, key = partner_key("Fuzz", key_name="fuzz")
        return {"Authorization": f"Api-Key {key}"}
    return {"Authorization": f"Token {Token.objects.create(user=editor).key}"}


@pytest.fixture
def api_schema(credentials):
    # As Django's test client does: a real WSGI handler would close the database
    # connection after each request, and with it the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.parametrize("credentials", ["partner", "editor"], indirect=True)
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_to_its_schema(case, credentials):
    case.call_and_validate(
        headers=credentials,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


# The inputs of the red-team pass's server errors (filters, page sizes, JSON bodies), fuzzed
# harder with the one check that matters for them: no 500.
hard_inputs = schema.include(path_regex=r"^/api/v1/(fact-checks|articles|webhooks)/$")


@pytest.mark.parametrize("credentials", ["partner", "editor"], indirect=True)
@hard_inputs.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_filters_and_bodies_never_cause_a_server_error(case, credentials):
    case.call_and_validate(headers=credentials, checks=[not_a_server_error])
