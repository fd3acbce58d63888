# Joins the migrations of work that was developed side by side from 0011; none of them
# touches what another changes, so their order does not matter.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_claim_as_checked_and_approval"),
        ("claims", "0013_hardening"),
        ("claims", "0014_notifications"),
        ("claims", "0015_sources"),
        ("claims", "0016_quote_attribution_spans"),
        ("claims", "0017_stemmed_full_text"),
        ("claims", "0018_claim_score_reasons"),
    ]

    operations = []
