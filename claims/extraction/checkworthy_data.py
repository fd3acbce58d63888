"""The check-worthiness trainer's data: transcripts, annotated news and plain prose read
into rows of the features ``checkworthy.features`` gives each sentence the extractor scores."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import checkworthy
from . import claims as claims_module
from .models import Claim
from .transcript import speaker_roles


@dataclass
class Row:
    feats: list[str]
    label: int
    group: str  # the transcript or article it comes from
    unit: int  # the sentence (transcript) or row (news) it scores
    weight: float = 1.0
    role: bool = False  # a copy with the speaker's role, as the transcript reader sees it
    covers: frozenset[int] = field(default_factory=frozenset)  # news: gold claims it covers


class Recorder:
    """Stands in for ``make_claim`` while ``extract()`` runs: records what it is asked to score."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, text, s, e, qty, speaker, attributed, in_quote, **kw) -> Claim:
        rule, kind = claims_module.score_sentence(text, s, e, qty, attributed, in_quote)
        self.calls.append(
            {
                "s": s,
                "e": e,
                "sent": text[s:e],
                "qty": qty,
                "kind": kind,
                "rule": rule,
                "attributed": attributed,
                "in_quote": in_quote,
            }
        )
        return Claim(text[s:e], s, e, kind, rule, speaker, qty)


def scored_sentences(text: str) -> list[dict]:
    """What the extractor's pipeline hands to make_claim for this text."""
    import claims.extraction as extraction

    rec = Recorder()
    saved = extraction.make_claim
    extraction.make_claim = rec
    try:
        extraction.extract(text)
    finally:
        extraction.make_claim = saved
    return rec.calls


def sentence_features(call: dict, **kw) -> list[str]:
    feats, _ = checkworthy.features(
        call["sent"],
        qty=call["qty"],
        kind=call["kind"],
        rule_score=call["rule"],
        attributed=call["attributed"],
        in_quote=call["in_quote"],
        **kw,
    )
    return feats


def read_transcripts(folder: Path) -> tuple[list[Row], dict[str, list[int]]]:
    """Rows of every transcript sentence (as the scorer's one-sentence mode sees it, and a
    copy with the speaker's role and repeats, as the transcript reader sees it), and each
    transcript's labels by sentence."""
    rows: list[Row] = []
    labels: dict[str, list[int]] = {}
    for path in sorted(folder.glob("*.tsv")):
        name = path.stem
        lines: list[tuple[str, str, int]] = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                _, speaker, sentence, given = raw.split("\t")
                lines.append((speaker, sentence, int(given)))
        turn_texts: list[tuple[str, str]] = []
        for speaker, sentence, _ in lines:
            if turn_texts and turn_texts[-1][0] == speaker:
                turn_texts[-1] = (speaker, turn_texts[-1][1] + " " + sentence)
            else:
                turn_texts.append((speaker, sentence))
        roles = speaker_roles(turn_texts)
        labels[name] = [lb for _, _, lb in lines]
        seen: set[str] = set()
        for i, (speaker, sentence, label) in enumerate(lines):
            key = " ".join(sentence.lower().split())
            repeat = key in seen
            seen.add(key)
            for call in scored_sentences(sentence):
                rows.append(Row(sentence_features(call), label, name, i, 0.5))
                role = roles.get(speaker, "speaker")
                rows.append(Row(sentence_features(call, role=role, repeat=repeat), label, name, i, 0.5, True))
    return rows, labels


def read_news(folder: Path) -> tuple[list[Row], dict[str, int]]:
    """Rows of every sentence the extractor scores in each annotated article, labelled 1 when
    it covers half of a gold claim or of a gold quote stating a figure; and gold claim counts."""
    rows: list[Row] = []
    n_gold: dict[str, int] = {}
    for path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = gold["text"]
        spans = [locate(text, c["text"]) for c in gold.get("claims", [])]
        numeric = [(q["start"], q["end"]) for q in gold.get("quotes", []) if any(ch.isdigit() for ch in q["text"])]
        n_gold[path.name] = len(spans)
        for k, call in enumerate(scored_sentences(text)):
            s, e = call["s"], call["e"]
            covers = frozenset(j for j, g in enumerate(spans) if coverage((s, e), g) >= 0.5)
            useful = bool(covers) or any(coverage((s, e), g) >= 0.5 for g in numeric)
            rows.append(Row(sentence_features(call), int(useful), path.name, k, 1.0, False, covers))
    return rows, n_gold


def locate(text: str, s: str) -> tuple[int, int]:
    i = text.find(s)
    return (i, i + len(s)) if i >= 0 else (-1, -1)


def coverage(pred: tuple[int, int], gold: tuple[int, int]) -> float:
    inter = max(0, min(pred[1], gold[1]) - max(pred[0], gold[0]))
    return inter / max(1, gold[1] - gold[0])


def read_prose(folder: Path) -> list[Row]:
    """Sentences of written news on the same subjects as the debates (no labels needed): the
    register model learns how prose reads, not what it is about."""
    rows: list[Row] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        for k, call in enumerate(scored_sentences(text)):
            if not (call["in_quote"] or call["attributed"]):
                rows.append(Row(sentence_features(call), 0, "prose:" + path.name, k))
    return rows
