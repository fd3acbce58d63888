"""Train the re-ranker of "already checked?": ``python -m claims.train_matching``.

Reads a claim-retrieval collection in the CLEF CheckThat! 2020 format (the checked claims
with their headlines, texts that repeat them, and which one each repeats), finds each
text's candidates the way the app does (BM25 over the stems of claim and headline, the
same `claims.retrieval` functions, with the counts an index over the collection would
give), and fits a logistic regression on pairs (the right candidate against each wrong one
of the same text), so the weights order candidates rather than judge them one by one.

Selection: every ``--holdout``-th text is never seen (the benchmark's held-out part); the
regularisation is chosen by cross-validation over the rest, grouped by text, on MAP@5; the
model written is fitted on the rest. Deterministic: inputs in file order, a solver without
randomness, weights rounded. scikit-learn is a development dependency; the app reads the
weights with plain Python.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from . import retrieval

DATA = Path("../shared/data/checkthat-2020-claim-retrieval")
CANDIDATES = retrieval.RERANK  # the best by BM25, as the app orders them
FOLDS = 5
CS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BM25_ORDER = [1.0] + [0.0] * (len(retrieval.FEATURES) - 1)  # the first feature alone: BM25's order


def _tsv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [row for row in list(csv.reader(handle, delimiter="\t"))[1:] if row]


def _answers(path: Path) -> dict[str, set[str]]:
    answers: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            answers.setdefault(parts[0], set()).add(parts[2])
    return answers


def examples(
    collection: list[list[str]], queries: list[list[str]], answers: dict[str, set[str]]
) -> list[tuple[list[list[float]], list[bool]]]:
    """Per text: (its candidates' features, which candidate is right), in file order."""
    texts = [" ".join(row[1:3]) for row in collection]
    counted = [Counter(retrieval.stem_list(text)) for text in texts]
    docs: Counter[str] = Counter()
    postings: dict[str, list[int]] = {}
    for i, counts in enumerate(counted):
        docs.update(counts.keys())
        for key in counts:
            postings.setdefault(key, []).append(i)
    lengths = [sum(c.values()) for c in counted]
    stats = retrieval.Statistics(rows=float(len(texts)), mean=sum(lengths) / len(lengths), docs=dict(docs))
    out: list[tuple[list[list[float]], list[bool]]] = []
    for qid, text in queries:
        q = retrieval.Query.of(text)
        hit = sorted({i for key in q.keys for i in postings.get(key, [])})
        scores = {i: retrieval.bm25(q, counted[i], lengths[i], stats) for i in hit}
        top = sorted(hit, key=lambda i: (-scores[i], i))[:CANDIDATES]
        if not top:
            out.append(([], []))
            continue
        best, most = scores[top[0]] or 1.0, sum(stats.idf(key) for key in q.keys)
        rows = [retrieval.features(q, texts[i], scores[i], best, most) for i in top]
        out.append((rows, [collection[i][0] in answers.get(qid, set()) for i in top]))
    return out


def _pairs(data, ids):
    xs, ys = [], []
    for n in ids:
        rows, right = data[n]
        for p in (i for i, r in enumerate(right) if r):
            for m in (i for i, r in enumerate(right) if not r):
                diff = [a - b for a, b in zip(rows[p], rows[m], strict=True)]
                xs += [diff, [-v for v in diff]]
                ys += [1, 0]
    return xs, ys


def _fit(data, ids, c: float) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    xs, ys = _pairs(data, ids)
    if not xs:  # every right answer alone among its candidates: nothing to order, keep BM25's order
        return BM25_ORDER
    return list(LogisticRegression(C=c, fit_intercept=False, max_iter=10_000).fit(xs, ys).coef_[0])


def map5(data, ids, weights) -> float:
    total = 0.0
    for n in ids:
        rows, right = data[n]
        order = sorted(range(len(rows)), key=lambda i: -sum(w * v for w, v in zip(weights, rows[i], strict=True)))
        total += next((1 / (k + 1) for k, i in enumerate(order[:5]) if right[i]), 0.0)
    return total / (len(ids) or 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collection", type=Path, default=DATA / "verified_claims.docs.tsv")
    parser.add_argument("--queries", type=Path, default=DATA / "train.tweets.queries.tsv")
    parser.add_argument("--qrels", type=Path, default=DATA / "train.tweet-vclaim-pairs.qrels")
    parser.add_argument("--holdout", type=int, default=5, help="never train on every Nth text (0: train on all)")
    parser.add_argument("--out", type=Path, default=retrieval.MODEL_PATH)
    args = parser.parse_args(argv)

    data = examples(_tsv(args.collection), _tsv(args.queries), _answers(args.qrels))
    held = [n for n in range(len(data)) if args.holdout and n % args.holdout == args.holdout - 1]
    train = [n for n in range(len(data)) if n not in set(held)]
    print(
        f"BM25 alone: training MAP@5 {map5(data, train, BM25_ORDER):.3f}, held out {map5(data, held, BM25_ORDER):.3f}"
    )
    best = None
    for c in CS:
        folds = [train[k::FOLDS] for k in range(FOLDS)]
        cv = sum(map5(data, f, _fit(data, [n for n in train if n not in set(f)], c)) for f in folds) / FOLDS
        print(f"C={c:<5} cross-validated MAP@5 {cv:.3f}")
        if best is None or cv > best[0] + 1e-9:
            best = (cv, c)
    assert best is not None
    weights = [round(w, 4) for w in _fit(data, train, best[1])]
    print(
        f"chosen C={best[1]}: training MAP@5 {map5(data, train, weights):.3f}, held out {map5(data, held, weights):.3f}"
    )
    model = {
        "features": list(retrieval.FEATURES),
        "weights": weights,
        "trained_on": f"{len(train)} texts; every {args.holdout}th held out" if args.holdout else f"{len(train)} texts",
        "regularisation": best[1],
        "candidates": CANDIDATES,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
