"""Extractor speed: characters per second on the demo article, and how the time grows with
the length of the text (a ~1 MB text against a ~10 KB one, both built from the gold texts).

    python bench/bench_extraction.py [--data ../shared/data] [--repeat 20]

Run from the project root. One core, no warm-up tricks beyond one untimed run per text.
The extractor caches the parsing of names it has seen, so the 10 KB and 1 MB texts are
built from a shuffle of different articles, and the demo article is timed as an unseen
text first (cold) and then as the median of repeated runs (warm).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import extract  # noqa: E402

CLOCK = time.perf_counter


def timed(text: str, repeat: int) -> float:
    """Median seconds of `repeat` runs, on CLOCK."""
    runs = []
    for _ in range(repeat):
        t0 = CLOCK()
        extract(text)
        runs.append(CLOCK() - t0)
    return statistics.median(runs)


def load() -> str:
    """The machine's load averages: the timings are only comparable at a similar load."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def corpus(data: Path) -> list[str]:
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(data.glob("*.gold.json"))]
    if not texts:
        raise SystemExit(f"no *.gold.json in {data}")
    return texts


def build(texts: list[str], size: int) -> str:
    """About `size` characters of article text: the gold articles, one after another."""
    out, n, i = [], 0, 0
    while n < size:
        t = texts[i % len(texts)]
        out.append(t)
        n += len(t) + 2
        i += 1
    return "\n\n".join(out)[:size]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="time with process CPU time instead of wall time (steadier on a busy machine)",
    )
    ap.add_argument("--no-scores", action="store_true", help="speed only, without running the two scorers")
    args = ap.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    print(f"clock: {'process CPU time' if args.cpu else 'wall time'}; {load()}")
    data = Path(args.data)
    texts = corpus(data)

    demo_path = data / "seed-article.txt"
    demo = demo_path.read_text(encoding="utf-8") if demo_path.exists() else texts[0]
    t0 = CLOCK()
    extract(demo)
    cold = CLOCK() - t0
    warm = timed(demo, args.repeat)
    print(f"demo article: {len(demo):,} chars")
    print(f"  first run (cold): {cold * 1000:.2f} ms  = {len(demo) / cold:,.0f} chars/s")
    print(f"  median of {args.repeat} runs: {warm * 1000:.2f} ms  = {len(demo) / warm:,.0f} chars/s")

    small = build(texts, 10_000)
    large = build(texts, 1_000_000)
    extract(small)
    t_small = timed(small, args.repeat)
    t_large = timed(large, 3)
    print(f"~10 KB text: {len(small):,} chars in {t_small * 1000:.2f} ms  = {len(small) / t_small:,.0f} chars/s")
    print(f"~1 MB text: {len(large):,} chars in {t_large * 1000:.0f} ms  = {len(large) / t_large:,.0f} chars/s")
    ratio = t_large / t_small
    print(
        f"time ratio 1 MB / 10 KB: {ratio:.1f} (length ratio {len(large) / len(small):.0f}; linear is ~100, limit 150)"
    )

    one_line = large.replace("\n", " ")
    t_line = timed(one_line, 3)
    print(f"~1 MB single line: {t_line * 1000:.0f} ms  = {len(one_line) / t_line:,.0f} chars/s")
    print(f"after the timings: {load()}")
    if not args.no_scores:
        scores(data)
    return 0


def scores(data: Path) -> None:
    """Both scorers' summaries: our annotated articles and the attribution corpus."""
    evals = data.parent / "eval"
    runs = [
        ("score_extraction (our rules)", [evals / "score_extraction.py", str(data), "--repeat", "1"]),
        ("score_attribution (PolNeAR)", [evals / "score_attribution.py", str(data / "polnear-train")]),
    ]
    for title, cmd in runs:
        if not Path(cmd[0]).exists() or not Path(cmd[1]).exists():
            print(f"{title}: skipped ({cmd[0] if not Path(cmd[0]).exists() else cmd[1]} not found)")
            continue
        out = subprocess.run([sys.executable, *map(str, cmd)], cwd=ROOT, capture_output=True, text=True, check=False)
        lines = out.stdout.splitlines()
        keep = [ln for ln in lines if ln.startswith(("quote_", "attribution_", "claim_", "==", "["))] or lines[-5:]
        print(f"{title}:")
        for line in keep:
            print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
