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

scikit-learn (dev requirement, training only) fits an L2 logistic regression per decision
with liblinear, which is deterministic; the weights go to a JSON file of generic feature
names (no corpus text) that ``model.py`` reads without numpy. Same data, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from . import extract_with
from .model import MODEL_PATH
from .speakers import Registry

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
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


def fit(groups: list[Group], c: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [feats for g in groups for feats, _ in g]
    labels = [y for g in groups for _, y in g]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows]).toarray()  # small; liblinear wants int32 sparse
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    clf.fit(x, labels)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    return {"bias": round(float(clf.intercept_[0]), 5), "weights": dict(sorted(weights.items()))}


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
    parts = {"train": [], "validation": []}
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
    acc, c, d = best
    model = {
        "format": 1,
        "split": f"sha1(id) % {VALIDATION_SHARE} == 0 is validation",
        "decisions": {"pronoun": {**d, "c": c}},
    }
    Path(args.out).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"articles: train {len(parts['train'])}, validation {len(parts['validation'])}; "
        f"pronoun groups: train {len(groups['train'])}, validation {len(groups['validation'])}"
    )
    print(
        f"pronoun: rule {rule_accuracy(groups['validation']):.3f}, model {acc:.3f} (C={c}) on validation; "
        f"train {pick_accuracy(d, groups['train']):.3f}"
    )
    print(f"wrote {args.out} ({Path(args.out).stat().st_size} bytes) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
