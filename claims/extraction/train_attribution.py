"""Train the attribution decisions from annotated articles and write the model file.

    python -m claims.extraction.train_attribution GOLD_DIR [--out PATH] [--list validation]

GOLD_DIR holds gold articles in the project's format with attribution fields (the PolNeAR
conversion: ``source_start``/``source_end``, ``source_kind``, ``speaker_resolved``).
Articles are split by a hash of their id: one in five is the validation part, used only to
choose the regularisation and to report; the model is fitted on the rest. The extractor
runs over each training article with its hand rules only (no model), records every
decision the model will take over, and labels it from the annotation:

- ``pronoun``: for a pronoun that is an annotated source, each earlier person or
  organisation the registry offers as its referent; yes when it is the annotated one.
- ``cue``: each cue-vocabulary word outside quotation marks; yes when it is (part of) an
  annotated cue.
- ``content_end``: read with the fitted cue decision installed, each word boundary of a
  forward-running content span that starts where an annotated content starts, up to the
  annotated end; yes at that end. The extractor stops at the first boundary accepted, so
  the threshold is chosen for the share of validation spans that then match.

scikit-learn (dev requirement, training only) fits an L2 logistic regression per decision
with liblinear, which is deterministic; the weights go to a JSON file of generic feature
names (no corpus text) that ``model.py`` reads without numpy. Same data, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
import unicodedata
from bisect import bisect_left
from pathlib import Path
from typing import Any

from . import extract_with
from . import model as M
from .attribution import FUNCTION_CONTEXT, WORD_RE, cue_candidates, cue_features
from .lexicon import SPEECH_VERBS
from .model import MODEL_PATH
from .speakers import Registry
from .text import merge_spanning, normalise_marks, paragraphs, quote_marks, sentences

C_GRID = (0.1, 0.3, 1.0, 3.0)
CUE_MIN_COUNT = 5  # a word is in the cue vocabulary when annotated as a cue this often
CUE_MIN_SHARE = 0.1  # ... and in at least this share of its uses
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
END_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8)
VALIDATION_SHARE = 5  # one article in five


def split_of(article_id: str) -> str:
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()
    return "validation" if int(digest[:8], 16) % VALIDATION_SHARE == 0 else "train"


def _norm(name: str | None) -> str:
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"['’]s\b", "", name.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", name)).strip()


def same_person(pred: str, gold: str) -> bool:
    p, g = _norm(pred), _norm(gold)
    if not p or not g:
        return False
    return p == g or p.split()[-1] == g.split()[-1]


Group = list[tuple[list[str], int]]


def pronoun_groups(gold: dict) -> list[Group]:
    """One group of (features, label) per annotated pronoun source the rules met."""
    sources = [
        (q["source_start"], q["source_end"], q["speaker_resolved"])
        for q in gold.get("quotes", [])
        if q.get("source_kind") == "pronoun" and q.get("speaker_resolved") and q.get("source_start") is not None
    ]
    reg = Registry(use_model=False)
    reg.recorder = []
    extract_with(gold["text"], reg)
    groups, seen = [], set()
    for pos, _, cands in reg.recorder:
        if pos in seen:
            continue
        hit = next((name for s, e, name in sources if s <= pos < e), None)
        if hit is None or not cands:
            continue
        seen.add(pos)
        groups.append([(feats, int(same_person(name, hit))) for name, feats in cands])
    return groups


def cue_vocabulary(golds: list[dict]) -> list[str]:
    """Lower-case words annotated as (part of) a cue often enough, and in a fair share of their uses."""
    as_cue: dict[str, int] = {}
    seen: dict[str, int] = {}
    for g in golds:
        text = normalise_marks(g["text"])
        # a use inside quotation marks is never offered to the cue decision (the rules read
        # quotations), so it does not count against a word: "think" is mostly quoted speech
        marks = quote_marks(text, paragraphs(text))
        starts = [m.start for m in marks]
        for m in WORD_RE.finditer(text):
            w = m.group(0)
            k = bisect_left(starts, m.start() + 1) - 1
            if k >= 0 and marks[k].start <= m.start() < marks[k].end:
                continue
            if w.islower():
                seen[w] = seen.get(w, 0) + 1
        spans = {(q["cue_start"], q["cue_end"]) for q in g["quotes"] if q.get("cue_start") is not None}
        for a, b in spans:
            for m in WORD_RE.finditer(text, a, b):
                w = m.group(0).lower()
                as_cue[w] = as_cue.get(w, 0) + 1
    # only words printed in lower case (no names, no weekdays), and no function words that
    # merely accompany a cue ("has said", "according to")
    return sorted(
        w
        for w, n in as_cue.items()
        if n >= CUE_MIN_COUNT
        and w.isalpha()
        and seen.get(w, 0) >= CUE_MIN_COUNT
        and n >= CUE_MIN_SHARE * seen[w]
        and (w not in FUNCTION_CONTEXT or w in SPEECH_VERBS)
    )


def cue_rows(gold: dict, vocab: frozenset[str]) -> list[tuple[list[str], int]]:
    """(features, is a cue) of every cue-vocabulary word outside quotation marks."""
    text = normalise_marks(gold["text"])
    paras = paragraphs(text)
    marks = quote_marks(text, paras)
    sents = merge_spanning(sentences(text, paras, [(m.start, m.end) for m in marks]), marks)
    cues = sorted({(q["cue_start"], q["cue_end"]) for q in gold["quotes"] if q.get("cue_start") is not None})
    rows = []
    starts = [m.start for m in marks]
    for s, e, _ in sents:
        here = marks[bisect_left(starts, s) : bisect_left(starts, e)]
        for a, b, _ in cue_candidates(text, s, e, here, vocab):
            feats = cue_features(text, s, e, a, b, bool(here), vocab)
            rows.append((feats, int(any(ca < b and a < cb for ca, cb in cues))))
    return rows


END_SLACK = 2  # characters: an annotated end this close to a boundary is that boundary
_EDGE = " \t\n.,;:!?…" + "\"”’'»“‘«"


def _lstrip_at(text: str, i: int, limit: int) -> int:
    while i < limit and text[i] in _EDGE:
        i += 1
    if text.startswith("that ", i):
        i += 5
    return i


def _rstrip_at(text: str, i: int, limit: int) -> int:
    while i > limit and text[i - 1] in _EDGE:
        i -= 1
    return i


EndGroup = tuple[list[tuple[int, list[str], int | None]], int, int, int]


def end_groups(gold: dict) -> list[EndGroup]:
    """Per forward content span the extractor found that starts where an annotated content
    starts: (rows of (end, features, is the annotated end), span start, span end, annotated
    end). Boundaries past the annotated end have no label (None): the extractor stops at
    the first accepted boundary, so in training they are never read; validation reads
    them to see where a span would stop."""
    text = gold["text"]
    starts: dict[int, list[int]] = {}
    for q in gold.get("quotes", []):
        if q.get("direct"):
            continue
        a, b = q.get("core_start", q["start"]), q.get("core_end", q["end"])
        a = _lstrip_at(text, a, b)
        starts.setdefault(a, []).append(_rstrip_at(text, b, a))
    reg = Registry()
    reg.end_recorder = []
    extract_with(text, reg)
    out = []
    for cs, ce, found in reg.end_recorder:
        a = _lstrip_at(text, cs, ce)
        ends = next((starts[x] for x in (a, a - 1, a + 1, a - 2, a + 2) if x in starts), None)
        if not ends or not found:
            continue
        fitting = [g for g in ends if g <= ce + END_SLACK]
        ge = max(fitting) if fitting else max(ends)
        rows: list[tuple[int, list[str], int | None]] = []
        passed = False
        for end, feats in found:
            hit = abs(end - ge) <= END_SLACK
            passed = passed or end > ge + END_SLACK
            rows.append((end, feats, None if passed else int(hit)))
            passed = passed or hit
        out.append((rows, cs, ce, ge))
    return out


def end_matches(decision: dict, groups: list[EndGroup], threshold: float) -> int:
    """Spans whose end, as the extractor would cut them, gives IoU >= 0.5 with the annotation."""
    w, b = decision["weights"], decision["bias"]
    cut_z = math.log(threshold / (1 - threshold))
    good = 0
    for rows, cs, ce, ge in groups:
        stop = next((end for end, feats, _ in rows if b + sum(w.get(f, 0.0) for f in feats) >= cut_z), None)
        if stop is None:
            stop = ce  # no boundary accepted: the rule's end
        union = max(stop, ge) - cs
        good += union > 0 and max(0, min(stop, ge) - cs) / union >= 0.5
    return good


def fit(groups: list[Group], c: float, l1: bool = False) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [feats for g in groups for feats, _ in g]
    labels = [y for g in groups for _, y in g]
    if len(set(labels)) < 2:
        return {"bias": 0.0, "weights": {}}  # nothing to learn from one class: no preference
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear's index type
    # liblinear shuffles the data: a fixed seed makes the same data give the same bytes
    clf = LogisticRegression(C=c, solver="liblinear", l1_ratio=1.0 if l1 else 0.0, max_iter=1000, random_state=0)
    clf.fit(x, labels)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    return {"bias": round(float(clf.intercept_[0]), 5), "weights": dict(sorted(weights.items()))}


def cue_f1(decision: dict, rows: list[tuple[list[str], int]], threshold: float) -> float:
    w, b = decision["weights"], decision["bias"]
    tp = fp = fn = 0
    for feats, y in rows:
        z = b + sum(w.get(f, 0.0) for f in feats)
        yes = z >= math.log(threshold / (1 - threshold))
        tp += yes and y
        fp += yes and not y
        fn += y and not yes
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def pick_accuracy(decision: dict, groups: list[Group]) -> float:
    """Share of the groups with a right candidate where the best-scored one is right."""
    w, b = decision["weights"], decision["bias"]
    scored = [g for g in groups if any(y for _, y in g)]
    right = 0
    for g in scored:
        best = max(g, key=lambda fy: b + sum(w.get(f, 0.0) for f in fy[0]))
        right += best[1]
    return right / len(scored) if scored else 0.0


def rule_accuracy(groups: list[Group]) -> float:
    scored = [g for g in groups if any(y for _, y in g)]
    return sum(any(y and "rule=True" in f for f, y in g) for g in scored) / len(scored) if scored else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold_dir")
    ap.add_argument("--out", default=str(MODEL_PATH))
    ap.add_argument("--list", choices=("train", "validation"), help="print that part's files and stop")
    args = ap.parse_args(argv)
    files = sorted(Path(args.gold_dir).glob("*.json"))
    if not files:
        print(f"no gold *.json files in {args.gold_dir}", file=sys.stderr)
        return 2
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    parts: dict[str, list[tuple[Path, dict[str, Any]]]] = {"train": [], "validation": []}
    for f, g in zip(files, golds, strict=True):
        parts[split_of(g["id"])].append((f, g))
    if args.list:
        print("\n".join(str(f) for f, _ in parts[args.list]))
        return 0
    t0 = time.perf_counter()
    groups = {name: [grp for _, g in part for grp in pronoun_groups(g)] for name, part in parts.items()}
    best = None
    for c in C_GRID:
        d = fit(groups["train"], c)
        acc = pick_accuracy(d, groups["validation"])
        print(f"pronoun C={c}: validation pick accuracy {acc:.3f}")
        if best is None or acc > best[0] + 1e-9:
            best = (acc, c, d)
    assert best is not None  # C_GRID is not empty
    acc, c, d = best
    vocab = cue_vocabulary([g for _, g in parts["train"]])
    vset = frozenset(vocab)
    rows = {name: [r for _, g in part for r in cue_rows(g, vset)] for name, part in parts.items()}
    cbest = None
    for cc in C_GRID:
        cd = fit([[r] for r in rows["train"]], cc, l1=True)  # L1: few features survive, a small file
        for th in THRESHOLDS:
            f1 = cue_f1(cd, rows["validation"], th)
            if cbest is None or f1 > cbest[0] + 1e-9:
                cbest = (f1, cc, th, cd)
        print(f"cue C={cc}: validation F1 {max(cue_f1(cd, rows['validation'], th) for th in THRESHOLDS):.3f}")
    assert cbest is not None  # C_GRID and THRESHOLDS are not empty
    cf1, cc, cth, cd = cbest
    model: dict[str, Any] = {
        "format": 1,
        "split": f"sha1(id) % {VALIDATION_SHARE} == 0 is validation",
        "decisions": {"pronoun": {**d, "c": c}, "cue": {**cd, "c": cc, "threshold": cth}},
        "vocabularies": {"cue_words": vocab},
    }
    M.install(model)  # the content spans the end decision learns from are the new cue model's
    try:
        ends = {name: [grp for _, g in part for grp in end_groups(g)] for name, part in parts.items()}
    finally:
        M.install(None)
    no_cut = {"bias": -100.0, "weights": {}}
    ebase = end_matches(no_cut, ends["validation"], 0.5)
    ebest = None
    for ec in C_GRID:
        ed = fit([[(f, y)] for rows, *_ in ends["train"] for _, f, y in rows if y is not None], ec, l1=True)
        for th in END_THRESHOLDS:
            n = end_matches(ed, ends["validation"], th)
            if ebest is None or n > ebest[0]:
                ebest = (n, ec, th, ed)
        matched = max(end_matches(ed, ends["validation"], th) for th in END_THRESHOLDS)
        print(f"content_end C={ec}: validation spans matched {matched}")
    assert ebest is not None  # C_GRID and END_THRESHOLDS are not empty
    en, ec, eth, ed = ebest
    if en > ebase:
        model["decisions"]["content_end"] = {**ed, "c": ec, "threshold": eth}
    Path(args.out).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"articles: train {len(parts['train'])}, validation {len(parts['validation'])}; "
        f"pronoun groups: train {len(groups['train'])}, validation {len(groups['validation'])}"
    )
    print(
        f"pronoun: rule {rule_accuracy(groups['validation']):.3f}, model {acc:.3f} (C={c}) on validation; "
        f"train {pick_accuracy(d, groups['train']):.3f}"
    )
    print(
        f"cue: {len(vocab)} words, rows train {len(rows['train'])}, validation {len(rows['validation'])}; "
        f"validation F1 {cf1:.3f} (C={cc}, threshold {cth})"
    )
    print(
        f"content_end: spans train {len(ends['train'])}, validation {len(ends['validation'])}; "
        f"validation spans matched {en} (C={ec}, threshold {eth}) against {ebase} uncut"
        + ("" if en > ebase else ": not shipped")
    )
    M.reload()
    print(f"wrote {args.out} ({Path(args.out).stat().st_size} bytes) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
