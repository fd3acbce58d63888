"""Check-worthiness learnt from data, its reasons, and transcripts as input; on sentences
written for these tests."""

from __future__ import annotations

import json

import pytest

from claims.extraction import checkworthy, extract
from claims.extraction.claims import make_claim
from claims.extraction.numbers import find_quantities
from claims.extraction.transcript import speaker_name, speaker_roles, turns


def score_of(sentence: str, **kw) -> float:
    return make_claim(sentence, 0, len(sentence), find_quantities(sentence), None, False, False, **kw).score


def test_the_shipped_model_is_small_and_holds_no_sentences():
    raw = checkworthy.MODEL_PATH.read_text(encoding="utf-8")
    assert len(raw) < 200_000
    data = json.loads(raw)
    assert all(key.isdigit() for key in data["weights"])  # hashed slots, no words
    assert checkworthy.model() is not None


def test_claims_carry_the_reasons_of_their_score():
    result = extract("The county spent 40 million dollars on new roads in 2019, twice as much as in 2018.")
    claim = result.claims[0]
    assert claim.reasons
    assert "states a figure" in claim.reasons or "states a sum of money" in claim.reasons
    assert claim.to_dict()["reasons"] == claim.reasons


@pytest.mark.parametrize(
    "low",
    [
        "Thank you all very much for being here tonight, it is great to see you.",
        "Good evening and welcome to the second debate of the season.",
        "What would you do about the price of housing in this city?",
        "Sign up for our newsletter and follow us for more stories like this one.",
    ],
)
def test_questions_greetings_and_promotion_rank_below_factual_statements(low):
    facts = [
        "The state cut funding for public schools by 12 percent between 2015 and 2019.",
        "My opponent voted against the veterans health bill three times in the Senate.",
    ]
    assert score_of(low) < min(score_of(f) for f in facts)


def test_a_fact_without_digits_outranks_a_moderators_statistic():
    statistic = "Unemployment in the state stands at 5 percent this month, the lowest in ten years."
    fact = "My opponent voted to close the veterans hospital in our capital."
    assert not any(c.isdigit() for c in fact)
    assert score_of(fact, role="speaker") > score_of(statistic, role="moderator")
    text = (
        f"MODERATOR: Good evening. {statistic} Senator, your response?\n"
        f"JANE ROE: Thank you. {fact}\n"
        "JOHN DOE: That is false, and she knows it. She never supported those veterans.\n"
        "MODERATOR: Let us move on to taxes. Senator Doe, what would you change?\n"
        "JOHN DOE: We passed the largest tax cut in the history of the state.\n"
    )
    ranked = sorted(extract(text).claims, key=lambda c: -c.score)
    speakers = [c.speaker for c in ranked]
    assert "Jane Roe" in speakers or "John Doe" in speakers
    assert speakers[0] != "Moderator"


def test_a_checkable_statement_without_digits_outranks_a_moderators_question_with_a_number():
    question = "With 40,000 jobs lost last year, what is your plan for the 12 factories that closed?"
    statement = "The governor closed the rural clinics and moved their budget to the new stadium."
    assert not any(c.isdigit() for c in statement)
    assert score_of(statement, role="speaker") > score_of(question, role="moderator")


@pytest.mark.parametrize(
    ("low", "low_role"),
    [
        ("Let me turn now to the next topic, which is the economy and jobs.", "moderator"),
        ("Our next question comes from a teacher in the second row.", "moderator"),
        ("Reporters asked him again about the talks, and he did not answer.", "questioner"),
        ("I want to thank everyone who came out tonight, you are wonderful people.", "speaker"),
    ],
)
def test_framing_and_courtesies_rank_below_a_candidates_factual_claim(low, low_role):
    fact = "Under his plan the state lost a third of its nurses, and waiting lists doubled."
    assert score_of(low, role=low_role) < score_of(fact, role="speaker")


def test_a_repeated_sentence_ranks_below_its_first_saying():
    sentence = "We built more new schools in four years than the last two governments together."
    assert score_of(sentence, role="speaker", repeat=True) < score_of(sentence, role="speaker")


def test_forms_of_one_word_share_a_weight():
    assert checkworthy.stem("votes") == checkworthy.stem("voted") == checkworthy.stem("voting") == "vot"
    assert checkworthy.stem("taxes") == "tax"
    assert checkworthy.stem("business") == "business"
    assert checkworthy.stem("was") == "was"


def test_a_model_reads_only_the_feature_groups_it_was_trained_on():
    feats, cues = checkworthy.features("The mayor cut the budget.", qty=[], kind="event", rule_score=0.3)
    word = next(f for f in feats if f.startswith("w:"))
    slot = str(checkworthy.feature_index(word, 18))
    base = {"bits": 18, "bias": 0.0, "weights": {slot: 5.0}}
    assert checkworthy.Model({**base, "groups": ["c", "w"]}).score(feats, cues)[0] > 0.9
    assert checkworthy.Model({**base, "groups": ["c"]}).score(feats, cues)[0] == pytest.approx(0.5)


def test_a_transcript_becomes_turns_with_speakers_and_a_marked_moderator():
    text = (
        "HOST: Welcome back. Joining me now is the city's mayor. What happened to the bridge budget?\n"
        "MAYOR ANNA LIND: The council cut the bridge budget by a third in 2021.\n"
        "It was the second cut in four years.\n"
        "HOST: Was that a mistake?\n"
        "LIND: The inspectors found cracks in two of the five bridges last spring.\n"
        "(APPLAUSE)\n"
    )
    found = turns(text)
    assert found is not None
    assert [t.label for t in found][:3] == ["HOST", "MAYOR ANNA LIND", "MAYOR ANNA LIND"]
    result = extract(text)
    speakers = {s.name: s for s in result.speakers}
    assert speakers["Host"].role == "moderator"
    assert speakers["Anna Lind"].role == "speaker"
    assert "LIND" in speakers["Anna Lind"].aliases  # a surname label is the same person
    said = {q.text: q.speaker for q in result.quotes}
    # a turn running over two paragraphs is one quote
    turn = "The council cut the bridge budget by a third in 2021.\nIt was the second cut in four years."
    assert said[turn] == "Anna Lind"
    assert said["The inspectors found cracks in two of the five bridges last spring."] == "Anna Lind"
    assert said["Was that a mistake?"] == "Host"
    assert result.claims
    for c in result.claims:  # each claim is its turn's speaker's
        assert c.speaker == next(q.speaker for q in result.quotes if q.start <= c.start < q.end)
    assert all(q.text != "(APPLAUSE)" for q in result.quotes)
    for c in result.claims:
        assert text[c.start : c.end] == c.text


def test_a_moderator_is_recognised_by_asking_in_short_turns():
    turns_ = [
        ("SMITH", "Welcome to the debate. Mr. Brown, why should voters trust you?"),
        ("BROWN", "Because I balanced the budget four years in a row and cut the deficit. " * 3),
        ("SMITH", "Ms. Green, do you agree?"),
        ("GREEN", "No. The deficit grew under his watch and the state lost ten thousand jobs. " * 3),
        ("SMITH", "Mr. Brown, is that right?"),
        ("BROWN", "It is not. Unemployment fell every year I was in office. " * 3),
    ]
    roles = speaker_roles(turns_)
    assert roles == {"SMITH": "moderator", "BROWN": "speaker", "GREEN": "speaker"}


def test_labels_become_names_and_titles():
    assert speaker_name("SEN. JANE DOE (D-XX), CANDIDATE") == ("Jane Doe", "Candidate")
    assert speaker_name("MR. SMITH") == ("Smith", "Mr")
    assert speaker_name("MAYOR ANNA LIND") == ("Anna Lind", "Mayor")


def test_an_article_with_a_few_labelled_lines_is_not_a_transcript():
    text = (
        "The city council approved the new budget on Monday after a long debate.\n"
        "Update: the vote was 7 to 2, with two members absent from the meeting.\n"
        "The budget raises spending on roads and schools by 4 percent next year.\n"
        "Correction: an earlier version misstated the size of the council.\n"
    )
    assert turns(text) is None


def test_training_is_reproducible_on_a_tiny_synthetic_set(tmp_path):
    pytest.importorskip("sklearn")
    from claims.extraction import train_checkworthy

    transcripts = tmp_path / "transcripts"
    transcripts.mkdir()
    checked = [
        "The state cut school funding by 12 percent in 2019.",
        "My opponent voted against the veterans bill three times.",
        "Unemployment doubled while he was governor of the state.",
    ]
    other = [
        "Thank you very much, it is great to be here tonight.",
        "What would you do about it, Senator?",
        "I think we can do better than this, believe me.",
        "Let us move on to the next question, please.",
    ]
    for n in range(3):
        lines = []
        for i, s in enumerate(other + checked):
            speaker = "HOST" if s in other[:2] else f"CANDIDATE{n}"
            lines.append(f"{i + 1}\t{speaker}\t{s}\t{int(s in checked)}")
        (transcripts / f"debate{n}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    news = tmp_path / "news"
    news.mkdir()
    body = "The factory closed in March 2020 and 300 workers lost their jobs. Readers liked the story."
    (news / "a.gold.json").write_text(
        json.dumps({"text": body, "claims": [{"text": body.split(". ")[0] + "."}], "quotes": []}),
        encoding="utf-8",
    )
    outs = []
    for k in range(2):
        out = tmp_path / f"model{k}.json"
        args = ["--transcripts", str(transcripts), "--news", str(news), "--prose", str(news / "none")]
        args += ["--out", str(out), "--quick", "--folds", "2"]
        assert train_checkworthy.main(args) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    trained = checkworthy.Model(json.loads(outs[0]))
    voted = trained.score(*checkworthy.features(checked[1], qty=[], kind="event", rule_score=0.5))[0]
    thanks = trained.score(*checkworthy.features(other[0], qty=[], kind="other", rule_score=0.1))[0]
    assert voted > thanks


@pytest.mark.django_db
def test_the_reasons_are_stored_and_shown_next_to_the_score_in_triage(editor_client, editor):
    from django.urls import reverse

    from claims import services
    from claims.models import Article, Claim

    from .factories import ArticleFactory

    body = (
        "The city council voted on Monday to raise the bus fare to 3 euros from 1 April.\n\n"
        "Ridership fell by 12% last year, more than in any other city in the region."
    )
    article = ArticleFactory(body=body, status=Article.Status.EXTRACTING)
    services.article_extract(article=article)
    claim = Claim.objects.filter(article=article).order_by("-score").first()
    assert claim is not None and claim.score_reasons
    html = editor_client.get(reverse("claims:triage")).content.decode()
    assert f'<span class="reason">{claim.score_reasons[0]}</span>' in html


FAST_PATH_SENTENCES = [
    "The council didn't say why the bridge, built in 1987, closed at 10:30 on Monday!",
    "Is it true that prices rose 4.5% last year, the highest since 2008?",
    "It'sThe mayor's view that we'll see the largest budget in the city's history.",
    "Thank you, ladies and gentlemen, it is great to be here tonight.",
    "Senator Okafor voted against the farm bill twice, and the bill's costs doubled.",
]


@pytest.mark.parametrize("sentence", FAST_PATH_SENTENCES)
@pytest.mark.parametrize("role", [None, "moderator"])
def test_the_fast_scoring_path_gives_the_score_of_the_features(sentence, role):
    from claims.extraction.claims import score_sentence

    m = checkworthy.model()
    qty = find_quantities(sentence)
    rule, kind = score_sentence(sentence, 0, len(sentence), qty, True, False)
    toks = checkworthy.TOKEN_RE.findall(sentence)
    kw = {"qty": qty, "kind": kind, "rule_score": rule, "attributed": True, "role": role, "repeat": True}
    expected = m.score(*checkworthy.features(sentence, **kw))
    for _ in range(2):  # first from the model's weights, then from its caches
        fast = m.score_sentence(sentence, toks=toks, low=[t.lower() for t in toks], **kw)
        assert fast[1] == expected[1]
        assert fast[0] == pytest.approx(expected[0], abs=1e-12)
    claim = make_claim(sentence, 0, len(sentence), qty, None, True, False, role=role, repeat=True)
    assert (claim.kind, claim.reasons) == (kind, expected[1])
    assert claim.score == pytest.approx(expected[0], abs=1e-12)


@pytest.mark.parametrize("sentence", [*FAST_PATH_SENTENCES, "don'tX won'T it's90 O'Brien's a'b'c?! 5pm's"])
def test_the_rules_read_the_words_their_own_tokeniser_would_find(sentence):
    from claims.extraction import claims

    toks = checkworthy.TOKEN_RE.findall(sentence)
    expected = claims.TOKEN_RE.findall(sentence)
    assert claims._rule_tokens(sentence, toks, [t.lower() for t in toks]) == (expected, [t.lower() for t in expected])
