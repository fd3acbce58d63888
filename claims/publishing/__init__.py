"""Publishing: what leaves the desk once a verdict is approved.

- `records`: the public record of each fact-check (`FactCheck`), kept by `claims.workflow`
- `claimreview`: a published fact-check as schema.org ClaimReview and as an API item
- `webhooks`: publication, correction and retraction events POSTed to partners
- `exports`: published fact-checks in bulk, as CSV or JSON Lines
"""

from __future__ import annotations

from .records import fact_check_publish, fact_check_retract, fact_checks_touch_speaker

__all__ = ["fact_check_publish", "fact_check_retract", "fact_checks_touch_speaker"]
