"""An article page's own metadata, cleaned: publication moment, title, byline.

trafilatura finds the candidates; these functions keep what a reader would call the
publication date, title and author: the date and time from the page's metadata (never a
copyright year), the title without the site's name, the byline without dates and job titles.
Pure functions, no Django.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from htmldate import find_date

# htmldate's output with the time of day and offset when the page gives them.
MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
COPYRIGHT = re.compile(r"(?:©|&copy;|&#169;|\(c\)|copyright)\s*(?:\d{4}\s*[-–—/]\s*)?((?:19|20)\d{2})", re.I)


def page_published_at(html: str, *, url: str = "") -> datetime.datetime | None:
    """When the page says it was first published, as htmldate's original-date search
    finds it (the way trafilatura calls it): metadata, structured data, URL and dated
    elements first; then a search of the text, whose answer is refused when it is only the
    year of a copyright notice (htmldate's last resort, read as 1 January)."""
    options: dict[str, Any] = {"original_date": True, "outputformat": MOMENT_FORMAT, "url": url or None}
    found = find_date(html, extensive_search=False, **options)
    if found is None:
        found = find_date(html, extensive_search=True, **options)
        if found is not None and found[5:10] == "01-01" and found[:4] in set(COPYRIGHT.findall(html)):
            return None
    if found is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(found)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


# Titles ---------------------------------------------------------------------------------

SEPARATORS = re.compile(r"\s+[|–—·•:»/-]{1,2}\s+")


def _fold(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold())


# Host name labels that say nothing about which site it is.
GENERIC_LABELS = {"www", "m", "amp", "news", "blog", "com", "org", "net", "co", "gov", "edu", "ac", "info"}


def _site_words(sitename: str, url: str) -> list[str]:
    """What the site is called: its declared name and its host name's labels (without the
    top-level domain and generic labels like "www")."""
    names = [_fold(sitename)] if sitename.strip() else []
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".")[:-1] if label not in GENERIC_LABELS]
    names += [_fold(label) for label in labels]
    return [name for name in names if len(name) >= 4]


def _is_site(segment: str, names: list[str]) -> bool:
    folded = _fold(segment)
    return bool(folded) and any(name in folded or (len(folded) >= 4 and folded in name) for name in names)


def title_trim(title: str, *, sitename: str = "", url: str = "") -> str:
    """The title without the site's name before or after a separator ("Story | Site",
    "Site - Story"); a title that is only the site's name is kept as it is."""
    title = " ".join(title.split())
    names = _site_words(sitename, url)
    if not names:
        return title
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    while len(parts) > 1 and _is_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], names):
        parts.pop(0)
    # Rebuild from the original text so separators inside the story title stay as written.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else title


# Bylines --------------------------------------------------------------------------------

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
# Words that begin a job description after a name ("News reporter", "Senior editor").
JOB_WORDS = {
    "reporter", "correspondent", "editor", "writer", "journalist", "contributor", "columnist",
    "analyst", "producer", "presenter", "staff", "news", "senior", "chief", "deputy", "political",
    "health", "science", "business", "economics", "technology", "sports", "sport", "culture",
    "investigations", "investigative", "data", "digital", "online", "special", "foreign",
    "international", "national", "local", "associate", "managing", "executive", "contributing",
    "freelance", "photographer", "updated", "published", "posted", "fact-checker", "factchecker",
}  # fmt: skip
# Names a CMS puts where no person is named.
NOT_PEOPLE = {"admin", "administrator", "staff", "editor", "editors", "newsroom", "webmaster", "user", "guest"}
BY = re.compile(r"^\s*(?:by|par|von|por|di|door|av)\s+", re.I)


def _one_name(name: str) -> str:
    name = BY.sub("", name).strip(" ,.-–—|")
    if "@" in name or "://" in name:
        return ""
    words = name.split()
    kept: list[str] = []
    for word in words:
        bare = word.strip(",.:;()").casefold()
        if any(ch.isdigit() for ch in bare):
            break
        if bare in MONTHS and len(kept) >= 2:
            break
        if bare in JOB_WORDS and not kept:
            return ""  # a job description alone ("Staff reporter")
        if bare in JOB_WORDS and len(kept) >= 2:
            break
        kept.append(word.strip(",;:"))
    text = " ".join(kept).strip(" ,.-–—|")
    if text.casefold().replace(" ", "") in NOT_PEOPLE or text.casefold() in NOT_PEOPLE:
        return ""
    return text


def byline_clean(byline: str) -> str:
    """The names in a byline, without "By", dates, job titles or a CMS's placeholder
    ("Admin"); several authors stay separated by "; "."""
    names = []
    for part in re.split(r";|\s+and\s+|\s*&\s*|\s*,\s*(?=[A-Z])", byline or ""):
        name = _one_name(part)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)
