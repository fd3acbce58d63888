"""The extractor's result types: plain dataclasses with a JSON form (the DESIGN.md contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Quantity:
    """A quantity expression as printed ("about 111.87 billion of dollars") and its parse."""

    text: str
    start: int
    end: int
    value: float
    unit: str  # "%", "USD", "EUR", "km", "people"... or "" when the count has no unit
    hedge: str = ""  # "about", "more than", "at least"...

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "unit": self.unit,
            "hedge": self.hedge,
        }


@dataclass
class Speaker:
    """One person or organisation; `aliases` are the other ways the article names them."""

    name: str
    aliases: list[str] = field(default_factory=list)
    type: str = "person"  # "person" | "organisation"
    title: str = ""  # role as printed ("Finance Minister"), when the article gives one
    organisation: str = ""  # the body named with the role ("NATO" of "NATO Secretary General")
    role: str = ""  # in a transcript: "moderator", "questioner" or "speaker"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "aliases": list(self.aliases),
            "type": self.type,
            "title": self.title,
            "organisation": self.organisation,
        }
        if self.role:
            out["role"] = self.role
        return out


@dataclass
class Quote:
    """A direct quote (span between the marks) or reported speech (the content clause)."""

    text: str
    start: int
    end: int
    speaker: str | None
    direct: bool
    cue: str | None = None  # the speech verb or "according to"
    confidence: float = 0.5
    partial: bool = False  # a quoted fragment inside reported speech
    attribution: str | None = None  # the speaker as written ("the official")
    kind: str = "speech"  # speech | belief | other (an intention, evidence...): what the cue attributes
    source_start: int | None = None  # where the attribution names its source, when it does
    source_end: int | None = None
    cue_start: int | None = None  # where the cue is written
    cue_end: int | None = None
    rule: str = ""  # the rule or model decision that found it (shown with debug=True)
    speaker_rule: str = ""  # how the speaker was resolved

    def to_dict(self, debug: bool = False) -> dict[str, Any]:
        out = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "direct": self.direct,
            "cue": self.cue,
            "confidence": round(self.confidence, 3),
            "partial": self.partial,
            "attribution": self.attribution,
            "kind": self.kind,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
        }
        if debug:
            out["rule"] = self.rule
            out["speaker_rule"] = self.speaker_rule
        return out


@dataclass
class Claim:
    """A check-worthy sentence or clause."""

    text: str
    start: int
    end: int
    kind: str  # statistic | quantity | comparison | event | prediction | other
    score: float
    speaker: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # what makes it worth checking, strongest first

    @property
    def numbers(self) -> list[str]:
        return [q.text for q in self.quantities]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "score": round(self.score, 3),
            "speaker": self.speaker,
            "numbers": self.numbers,
            "quantities": [q.to_dict() for q in self.quantities],
            "reasons": list(self.reasons),
        }


@dataclass
class Inconsistency:
    """One quantity that the article states in different ways (68%, 67.6%, 67.65%)."""

    subject: str
    mentions: list[Quantity]

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "stated_as": [m.text for m in self.mentions],
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class Extraction:
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    inconsistencies: list[Inconsistency] = field(default_factory=list)

    language: str = "en"
    supported: bool = True

    def to_dict(self, debug: bool = False) -> dict[str, Any]:
        return {
            "language": self.language,
            "supported": self.supported,
            "quotes": [q.to_dict(debug) for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
            "speakers": [s.to_dict() for s in self.speakers],
            "inconsistencies": [i.to_dict() for i in self.inconsistencies],
        }
