"""Properties of the extractor on any input: it never raises, never hangs, and every span it
returns indexes the text it was given."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.extraction import extract

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SEED = DATA / "seed-article.txt"
MARKS = "\"'“”‘’«»„"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seed_article() -> str:
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    return (
        'League Secretary General Lena Brandvold said that Moldova is "closer to the league than ever".\n\n'
        "“We are doing everything possible,” added the Moldovan president.\n\n"
        "The city will increase its transport budget by 68%, the council said:\n\n"
        "It is absolutely necessary for our security and for our victory\n"
    )


def check_spans(text: str) -> dict:
    """Run the extractor and check what any caller relies on."""
    result = extract(text)
    data = result.to_dict()
    json.dumps(data)
    for item in [*result.quotes, *result.claims]:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text
    for claim in result.claims:
        assert 0.0 <= claim.score <= 1.0
        for q in claim.quantities:
            assert text[q.start : q.end] == q.text
    for inc in result.inconsistencies:
        for m in inc.mentions:
            assert text[m.start : m.end] == m.text
    for quote in result.quotes:
        assert 0.0 <= quote.confidence <= 1.0
    return data


@FAST
@given(st.text())
def test_any_text_never_raises(text):
    check_spans(text)


@FAST
@given(st.text(alphabet=st.sampled_from(list(MARKS + "ab ,.:\n")), max_size=400))
def test_runs_of_quotation_marks_never_raise(text):
    check_spans(text)


@FAST
@given(st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(list(MARKS))), max_size=12))
def test_unbalanced_marks_in_a_real_article_never_raise(insertions):
    text = seed_article()
    for pos, mark in insertions:
        i = pos % (len(text) + 1)
        text = text[:i] + mark + text[i:]
    check_spans(text)


def test_a_stray_mark_does_not_lose_the_rest_of_the_article():
    text = seed_article()
    clean = {q.text for q in extract(text).quotes if q.direct}
    broken = 'He called it "a stray mark and nothing more.\n\n' + text
    assert clean <= {q.text for q in extract(broken).quotes if q.direct}


NEWS_TOKENS = [
    "said",
    "says",
    "told",
    "according to",
    "that",
    "the",
    "The",
    "he",
    "she",
    "it",
    "He",
    "She",
    "Ann Lee",
    "Omar Haddad",
    "the minister",
    "Finance Minister",
    "(IFS)",
    "Ministry of Finance",
    ",",
    ".",
    ":",
    ";",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "\n\n",
    "5%",
    "10.8 trillion rubles",
    "about",
    "half",
    "2024",
    "on Monday",
    "reported",
    "announced",
    "with",
    "saying",
    "adding",
    "calling it",
    "a spokeswoman for",
    "Police",
    "officials",
    "was",
    "will",
    "rise",
    "by",
    "–",
    "Mr.",
    "U.S.",
    "[...]",
    "(",
    ")",
    "and",
    "but",
]


@FAST
@given(st.lists(st.sampled_from(NEWS_TOKENS), max_size=300).map(" ".join))
@example("reported and says .")  # a content cut back past its own start, once
def test_news_like_token_soup_never_raises(text):
    """Random sequences of the very words the rules look for reach the deep branches."""
    check_spans(text)


@FAST
@given(st.text(alphabet="0123456789 .,%$-:/", max_size=2000))
def test_only_digits_and_number_punctuation_never_raise(text):
    check_spans(text)


@FAST
@given(
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Lo", "Lm", "Mn", "Nd", "Zs", "Po", "Pi", "Pf", "Ps", "Pe"),
        ),
        max_size=600,
    )
)
def test_non_english_text_never_raises(text):
    check_spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "Der Minister sagte: „Wir schaffen das.“ Er fügte hinzu, dass 68 % der Mittel fehlen.",
        "Le ministre a déclaré « nous allons gagner » devant 3 000 personnes.",
        "Президент заявил: «Мы победим». Бюджет вырос на 68%.",
        "北京市政府表示,经济增长了5.2%。“我们会继续努力,”他说。",
        "وقال الوزير إن الميزانية ارتفعت بنسبة 68٪.",
    ],
)
def test_non_english_articles_never_raise(text):
    check_spans(text)


PATHOLOGICAL = {
    "digits": "7" * 1_000_000,
    "straight quotes": '"' * 1_000_000,
    "single quotes": "'" * 1_000_000,
    "capitalised words": "Aaa " * 250_000,
    "speech verbs without full stops": '"Yes," he said, ' * 70_000,
    "colons": "x:\n" * 300_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_megabyte_inputs_finish_quickly(name):
    # CPU time, not wall time: a quadratic case takes minutes of CPU, while a busy machine
    # only stretches the wall clock (these take 1 to 4 s of CPU).
    text = PATHOLOGICAL[name]
    t0 = time.process_time()
    check_spans(text)
    assert time.process_time() - t0 < 20, f"{name} took too long"


def test_a_one_megabyte_single_line_article_finishes_quickly():
    line = seed_article().replace("\n", " ")
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    t0 = time.process_time()
    data = check_spans(text)
    assert time.process_time() - t0 < 20
    assert data["quotes"] and data["claims"]
