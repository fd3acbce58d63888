"""Why an article failed, in plain words: what happened and what to do.

The jobs record a precise, technical message on the article (the fetcher's, the
extractor's); the pages show the plain summary first and fold the technical message away.
The summary is chosen from the kind of failure the message records, so the fetcher keeps
its own wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    what: str  # what happened
    todo: str  # what the person can do about it
    detail: str  # the recorded message, for whoever needs to dig


HTTP_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    410: "Gone",
    429: "Too Many Requests",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

PASTE = "Paste the article's text on the submit page instead."
RETRY_LATER = "Try again later (Retry), or paste the article's text instead."


def _http(match: re.Match) -> tuple[str, str]:
    code = int(match.group(1))
    reason = HTTP_REASONS.get(code, "an error")
    if code in (404, 410):
        return f"The site answered {code} {reason}: there is no page at this address.", (
            "Check the address for a typo or a moved page. " + PASTE
        )
    if code in (401, 402, 403, 451):
        return f"The site answered {code} {reason}: it does not let the workbench read this page.", (
            "The page may be behind a paywall or a login. " + PASTE
        )
    if code == 429:
        return f"The site answered {code} {reason}: it asks the workbench to slow down.", RETRY_LATER
    if code >= 500:
        return f"The site answered {code} {reason}: it had a problem of its own.", RETRY_LATER
    return f"The site answered {code} {reason}.", "Check the address. " + PASTE


# (pattern of the recorded message, what happened, what to do); first match wins.
RULES: list[tuple[str, object, str]] = [
    (r"(?:HTTP |answered )(\d{3})\b", _http, ""),
    (
        r"within (\d+(?:\.\d+)?) seconds",
        lambda m: (f"The site took longer than {m.group(1)} seconds to answer.", ""),
        RETRY_LATER,
    ),
    (
        r"private or local network",
        "The address is on a private network, which the workbench does not reach.",
        "Give the public address of the article, or paste its text.",
    ),
    (
        r"DNS lookup failed|has no address",
        "The site could not be found: its name does not exist.",
        "Check the address for a typo. " + PASTE,
    ),
    (r"Could not connect|connection broke", "The site could not be reached.", RETRY_LATER),
    (
        r"secure connection",
        "The site's secure connection (HTTPS certificate) could not be trusted.",
        PASTE,
    ),
    (r"redirected", "The site sent the workbench round in circles (too many redirects).", PASTE),
    (
        r"Only http and https|no host name",
        "This is not a web address the workbench can fetch.",
        "Give an address starting with https:// or http://.",
    ),
    (r"limit is", "The page is too large for the workbench.", PASTE),
    (
        r"page is empty|text is empty|no text|No article text",
        "The page is not an article: no text could be found in it.",
        "Check that the address is the article itself, not a front page or a video. " + PASTE,
    ),
    (
        r"Same text as article #(\d+)",
        lambda m: (f"This is the same text as article #{m.group(1)}, already in the workbench.", ""),
        "Open that article instead.",
    ),
    (r"database", "The workbench's database was busy and the job gave up.", "Try again (Retry)."),
]

UNKNOWN = ("Something went wrong while processing this article.", "Try again (Retry); if it fails again, " + PASTE)


def failure_explain(error: str) -> Failure:
    """The plain summary of a recorded failure message (an unknown message gets a general
    summary; the message itself is always kept as the detail)."""
    for pattern, what, todo in RULES:
        match = re.search(pattern, error or "", re.IGNORECASE)
        if match is None:
            continue
        if callable(what):
            what, extra = what(match)
            todo = extra or todo
        return Failure(what=str(what), todo=todo, detail=error)
    return Failure(what=UNKNOWN[0], todo=UNKNOWN[1], detail=error or "No reason was recorded.")
