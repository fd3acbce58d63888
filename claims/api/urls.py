"""Routes under /api/ (partner API, staff endpoints, schema)."""

urlpatterns: list = []
