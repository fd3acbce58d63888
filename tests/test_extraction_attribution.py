"""Attribution constructions, speakers worth keeping, boilerplate, languages and the learned
model: sentences written for these tests, not taken from any corpus."""

from __future__ import annotations

import json

import pytest

from claims.extraction import extract
from claims.extraction import model as M
from claims.extraction.reported import FINITE_RE
from claims.extraction.train_attribution import main as train_main


def quote(result, fragment: str):
    return next(q for q in result.quotes if fragment in q.text)


def test_doubled_apostrophes_pair_as_quotation_marks():
    text = "''We will rebuild the bridge,'' Mayor Ann Holt said on Tuesday."
    q = quote(extract(text), "rebuild")
    assert q.text == "We will rebuild the bridge," and q.speaker == "Ann Holt" and q.direct


def test_backticks_open_and_guillemets_pair():
    assert quote(extract("``The vote is final,'' said Tom Reed."), "final").text == "The vote is final,"
    assert quote(extract("«We will win,» said Lea Roux."), "win").text == "We will win,"


def test_trailing_source_after_the_content():
    q = quote(extract("The deal collapsed after the second vote, prosecutors said."), "deal collapsed")
    assert q.text == "The deal collapsed after the second vote" and not q.direct and q.kind == "speech"


def test_source_after_the_verb_keeps_an_abbreviated_title():
    result = extract('"The budget will pass," said U.S. Attorney Jane Roe, who leads the office.')
    q = quote(result, "budget")
    assert q.speaker == "Jane Roe"
    (roe,) = result.speakers
    assert roe.title == "U.S. Attorney" and roe.aliases == []
    assert result.to_dict()["quotes"][0]["source_start"] is not None


def test_representative_named_after_the_verb_with_a_role_after_a_comma():
    text = '"We will not back down," said Rep. Maria Stone, the top Democrat on the committee.'
    q = quote(extract(text), "back down")
    assert q.speaker == "Maria Stone"
    assert text[q.source_start : q.source_end].startswith("Rep. Maria Stone")
    assert text[q.cue_start : q.cue_end] == "said"


def test_a_spokesperson_speaks_for_the_organisation():
    result = extract("The store will close in May, a Woolworths spokesperson said.")
    assert quote(result, "store will close").speaker == "Woolworths"
    assert [s.type for s in result.speakers] == ["organisation"]


@pytest.mark.parametrize(
    "text",
    [
        "Ruth Okafor, the mayor of Lindenfeld, opened the depot. The mayor of Lindenfeld said the bridge would open.",
        "Lindenfeld Mayor Ruth Okafor opened the depot. Later the mayor of Lindenfeld said the bridge would open.",
    ],
)
def test_the_holder_of_an_office_named_earlier_is_the_speaker(text):
    assert quote(extract(text), "bridge would open").speaker == "Ruth Okafor"


def test_an_office_over_a_place_is_never_the_place():
    result = extract("The governor of Westmark said the bridge would open in March.")
    assert quote(result, "bridge would open").speaker is None
    assert "Westmark" not in [s.name for s in result.speakers]


@pytest.mark.parametrize("where", ["Brannock", "the city of Brannock", "the county of Brannock"])
def test_unnamed_officials_of_a_place_are_not_the_place(where):
    result = extract(f"Officials in {where} said the water was safe to drink.")
    assert quote(result, "water was safe").speaker is None
    assert result.speakers == []


def test_the_executive_of_a_body_named_earlier_is_the_speaker_else_the_body():
    earlier = "Harlow Foods chief executive Ann Berg toured the plant. "
    said = "The chief executive of Harlow Foods said sales rose 8 percent."
    assert quote(extract(earlier + said), "sales rose").speaker == "Ann Berg"
    assert quote(extract(said), "sales rose").speaker == "Harlow Foods"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The Federal Lottery said ticket sales rose 9 percent.", "Federal Lottery"),
        ("State Orchard said exports rose 9 percent.", "State Orchard"),
        ("Health Minister Ann Holt said waiting lists fell 9 percent.", "Ann Holt"),
        ("State Senator Tom Reed said waiting lists fell 9 percent.", "Tom Reed"),
    ],
)
def test_a_department_word_opens_a_name_unless_a_title_follows_it(text, speaker):
    assert extract(text).quotes[0].speaker == speaker


def test_roles_go_to_title_not_aliases():
    result = extract("Mayor Ann Holt said the road would reopen in June.")
    (holt,) = result.speakers
    assert (holt.name, holt.title, holt.aliases) == ("Ann Holt", "Mayor", [])


def test_short_and_full_name_are_one_person():
    result = extract('Donald Trump spoke on Monday. "We will win," Trump said. "We will," he added.')
    assert {q.speaker for q in result.quotes} == {"Donald Trump"}
    assert [s.name for s in result.speakers] == ["Donald Trump"]


def test_datelines_months_and_question_words_are_not_speakers():
    text = (
        'WASHINGTON — "We are ready," the mayor said.\n\n'
        'In March, "this is not over," Lisa Grant said.\n\n'
        "Why the vote matters, explained."
    )
    names = {s.name for s in extract(text).speakers}
    assert names <= {"Lisa Grant"}
    assert quote(extract(text), "We are ready").text == "We are ready,"


def test_boilerplate_lines_are_neither_quotes_nor_claims():
    text = (
        'SEE MORE: "Ten things to know about the 2026 vote" and 40 other stories\n\n'
        "Photo: John Doe/Getty Images\n\n"
        "The council approved the plan."
    )
    result = extract(text)
    boilerplate_end = text.index("The council")
    assert all(q.start >= boilerplate_end for q in result.quotes)
    assert [s.name for s in result.speakers if s.name in ("John Doe", "Getty Images")] == []
    assert all("SEE MORE" not in c.text and "Getty" not in c.text for c in result.claims)


def test_belief_is_an_attribution_but_not_speech():
    result = extract("Senator Paul Ames believes that the tax cut will pay for itself.")
    q = quote(result, "tax cut")
    assert q.kind == "belief" and q.speaker == "Paul Ames"


def test_debug_output_names_the_rule_or_model_decision():
    text = 'Ann Holt arrived late. "We will win," she said. Ann Holt thinks the tax will pass.'
    quotes = extract(text).to_dict(debug=True)["quotes"]
    assert {q["rule"] for q in quotes} >= {"marks+attribution-after"}
    assert any(q["rule"].startswith("cue-model+") for q in quotes)
    assert any(q["speaker_rule"] == "pronoun-model" for q in quotes)
    assert "rule" not in extract(text).to_dict()["quotes"][0]


def test_unsupported_language_gives_only_quotations_without_speakers_or_claims():
    text = 'Die Ministerin sagte am Montag: "Wir werden das Gesetz im Sommer beschließen." Es kostet 5 Millionen Euro.'
    result = extract(text, language="de")
    assert [q.text for q in result.quotes] == ["Wir werden das Gesetz im Sommer beschließen."]
    assert result.claims == [] and result.speakers == [] and result.quotes[0].speaker is None
    assert result.to_dict()["supported"] is False


def test_model_file_holds_generic_features_only():
    raw = json.loads(M.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(raw["decisions"]) == {"pronoun", "cue", "content_end"}
    for decision in raw["decisions"].values():
        for feature in decision["weights"]:
            assert len(feature) < 60 and "=" in feature  # named features, no sentences
    assert all(w.islower() and w.isalpha() for w in raw["vocabularies"]["cue_words"])


SYNTHETIC = [
    ("Ann Holt met Tom Reed. She said that the bridge will open. Tom Reed believes the plan works.", "Ann Holt"),
    ("Tom Reed met Ann Holt. He said that taxes will rise. Ann Holt thinks the vote was fair.", "Tom Reed"),
    ("Lea Roux met Bob Kerr. She said that the road was closed. Bob Kerr argued the cost was high.", "Lea Roux"),
]
# reported clauses whose annotated content stops before the sentence does
SYNTHETIC_ENDS = [
    "Bob Kerr said the fee will rise, while the board met in the old hall.",
    "Ann Holt said the port will close, while the crews waited at the gate.",
    "Tom Reed said the school will open, while the parents gathered outside.",
]


def _write_synthetic(folder) -> None:
    """Gold files in the training format for a tiny corpus written here."""
    for n in range(10):
        for i, (text, person) in enumerate(SYNTHETIC):
            quotes = []
            for cue in ("said", "believes", "thinks", "argued"):
                at = text.find(f" {cue} ")
                if at < 0:
                    continue
                src_end = at
                src_start = text.rfind(". ", 0, at) + 2
                quotes.append(
                    {
                        "text": text[at + len(cue) + 2 : text.find(".", at)],
                        "start": at + len(cue) + 2,
                        "end": text.find(".", at),
                        "cue_start": at + 1,
                        "cue_end": at + 1 + len(cue),
                        "source_start": src_start,
                        "source_end": src_end,
                        "source_kind": "pronoun" if text[src_start:src_end] in ("He", "She") else "named",
                        "speaker_resolved": person if text[src_start:src_end] in ("He", "She") else None,
                        "direct": False,
                    }
                )
            doc = {"id": f"synthetic-{n}-{i}", "text": text, "quotes": quotes}
            (folder / f"synthetic-{n}-{i}.json").write_text(json.dumps(doc), encoding="utf-8")
        for i, text in enumerate(SYNTHETIC_ENDS):
            at = text.find(" said ") + 6
            end = text.find(",", at)
            quote = {"text": text[at:end], "start": at, "end": end, "direct": False, "source_kind": "named"}
            doc = {"id": f"synthetic-end-{n}-{i}", "text": text, "quotes": [quote]}
            (folder / f"synthetic-end-{n}-{i}.json").write_text(json.dumps(doc), encoding="utf-8")


def test_training_is_reproducible(tmp_path):
    pytest.importorskip("sklearn")
    data = tmp_path / "gold"
    data.mkdir()
    _write_synthetic(data)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert train_main([str(data), "--out", str(first)]) == 0
    assert train_main([str(data), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    model = json.loads(first.read_text(encoding="utf-8"))
    assert "said" in model["vocabularies"]["cue_words"] and model["decisions"]["pronoun"]["weights"]
    assert model["decisions"]["content_end"]["weights"]  # learned where those clauses stop


@pytest.fixture
def installed_model():
    """Run the extractor with a model written in the test; the shipped file afterwards."""
    yield M.install
    M.install(None)


def test_content_end_decision_stops_a_reported_clause_at_the_boundary_it_accepts(installed_model):
    text = "Mayor Ann Holt said the bridge will reopen in June, as crews worked through the night."
    installed_model({"decisions": {"content_end": {"bias": -10.0, "weights": {}}}})
    assert quote(extract(text), "bridge").text.endswith("worked through the night")
    stop_at_comma = {"bias": -5.0, "weights": {"g=,": 10.0}, "threshold": 0.5}
    installed_model({"decisions": {"content_end": stop_at_comma}})
    q = extract(text).to_dict(debug=True)["quotes"][0]
    assert q["text"] == "the bridge will reopen in June"
    assert q["rule"] == "speech-verb+content-end-model" and q["speaker"] == "Ann Holt"


def test_content_end_never_cuts_inside_quotation_marks(installed_model):
    stop_anywhere = {"bias": 5.0, "weights": {"k=1": -10.0}, "threshold": 0.5}
    installed_model({"decisions": {"content_end": stop_anywhere}})
    text = 'Mayor Ann Holt said the "bridge of the old town" will reopen in June.'
    assert quote(extract(text), "bridge").text == 'the "bridge of the old town"'


def test_shipped_content_end_model_stops_an_intention_before_a_concessive_clause():
    # "wants", not "plans": the cue decision is close to its threshold on "plans" after a name
    text = "Lea Roux wants to build a new school, even if the county refuses to pay for the land."
    q = quote(extract(text), "school")
    assert q.text == "to build a new school" and q.speaker == "Lea Roux"


SPEECH_GUARD_CASES = [
    # a cue word used as a noun: its "content" opens with a verb
    "Those claims were rejected by the harbour board during the long winter of talks.",
    # negated and hearsay cues are not statements made
    "The agency did not mention if there were injuries among the crew of the ferry.",
]


@pytest.mark.parametrize("text", SPEECH_GUARD_CASES)
def test_learned_cues_quote_speech_only_with_an_explicit_clause(text):
    assert [q.text for q in extract(text).quotes if q.kind == "speech"] == []


def test_learned_cue_with_that_clause_is_still_speech():
    q = quote(extract("The deal collapsed after the second vote, prosecutors said."), "deal collapsed")
    assert q.kind == "speech"


def test_title_case_headline_gives_no_speaker():
    text = (
        "Underdog Lawyer Marta Quill Beats Establishment Rival In Primary.\n\n"
        "\u201cWe ran on the issues and the voters listened,\u201d Quill said on Tuesday night."
    )
    result = extract(text)
    assert quote(result, "voters listened").speaker == "Quill"
    assert all("Establishment" not in s.name for s in result.speakers)


def test_according_to_inside_reported_content_governs_what_follows():
    text = "In addition, the institute reported that, according to two diplomats, the talks have stalled again."
    texts = [q.text for q in extract(text).quotes]
    assert "In addition" not in texts and any(t.startswith("the talks have stalled") for t in texts)


def test_question_then_source_is_one_sentence():
    text = (
        "The hall went quiet.\n\n\u201cWho pays for the new bridge?\u201d Mayor Ann Holt asked the council. "
        "Nobody answered."
    )
    q = quote(extract(text), "Who pays")
    assert q.speaker == "Ann Holt" and q.rule == "marks+attribution-after"


def test_quotation_then_source_with_adjunct_keeps_the_quotation():
    text = (
        "The mill reopened.\n\n\u201cIt is like a new town,\u201d Tom Reed said in a film that showed the repairs. "
        "\u201cThe mill is the heart of this valley.\u201d"
    )
    result = extract(text)
    assert quote(result, "new town").speaker == "Tom Reed"
    assert quote(result, "heart of this valley").speaker == "Tom Reed"
    assert not any(q.text.startswith("in a film") or q.text == "showed the repairs" for q in result.quotes)


def test_paragraph_quotation_continues_a_quoted_fragment_speaker():
    text = (
        "The debate ended late.\n\nThe town needs leaders \u201cwho listen before they build,\u201d Lea Roux said.\n\n"
        "\u201cAnd that is why the plan must wait until the spring survey is done.\u201d"
    )
    assert quote(extract(text), "plan must wait").speaker == "Lea Roux"


def test_a_source_set_off_by_commas_splits_the_content_in_two_pieces():
    result = extract("The new permit, Mayor Ann Holt said on Monday, had been hard to get.")
    first, second = quote(result, "permit"), quote(result, "hard to get")
    assert (first.text, second.text) == ("The new permit", "had been hard to get")
    assert first.speaker == second.speaker == "Ann Holt"
    assert result.to_dict(debug=True)["quotes"][0]["rule"] == "interrupting-source-first-piece"


@pytest.mark.parametrize(
    "text",
    [
        # the source is the main clause's subject, not an aside
        "While the talks went on, the ministry announced, through its press office, that taxes would rise.",
        # a connective before the aside is no content
        'However, Tom Reed added, "there are no locked gates on the pier."',
    ],
)
def test_no_first_piece_when_the_commas_do_not_set_off_an_aside(text):
    rules = {q["rule"] for q in extract(text).to_dict(debug=True)["quotes"]}
    assert "interrupting-source-first-piece" not in rules


@pytest.mark.parametrize(
    ("text", "content", "speaker", "rule"),
    [
        (
            "Ann Holt Says The Bridge Will Open In May\n\nMayor Ann Holt spoke on Monday.",
            "The Bridge Will Open In May",
            "Ann Holt",
            "headline-verb",
        ),
        (
            "Harbour Board: Ferry Fares Will Rise Next Year\n\nThe Harbour Board met on Friday.",
            "Ferry Fares Will Rise Next Year",
            "Harbour Board",
            "headline-colon",
        ),
    ],
)
def test_a_title_that_attributes_is_quoted_with_the_source_named_in_the_article(text, content, speaker, rule):
    q = next(q for q in extract(text).to_dict(debug=True)["quotes"] if q["text"] == content)
    assert (q["speaker"], q["rule"], q["direct"]) == (speaker, rule, False)


def test_a_title_without_an_attribution_verb_quotes_nothing():
    text = "Harbour Town Opens Its Bridge In May\n\nThe bridge opened on Monday."
    assert extract(text).quotes == []


def test_quoted_words_after_said_that_are_reported_speech_not_a_direct_quote():
    text = 'The mayor, Ann Holt, said that "the bridge will open in May, whatever the council decides."'
    q = quote(extract(text), "bridge")
    assert q.text == "the bridge will open in May, whatever the council decides."
    assert not q.direct and q.speaker == "Ann Holt" and q.rule == "marks+attribution-before+that-clause"


@pytest.mark.parametrize(
    "text",
    [
        # the comma closes an apposition: the source is before the verb, the quotation after
        'Tom Reed, a former aide to the mayor, said of the plan: "It will never pass the council."',
        # a participle after a comma opens its own content
        "The council met on Friday, hoping the ferry fares would stay low through the winter.",
    ],
)
def test_a_comma_before_a_cue_is_not_an_inverted_source_without_a_source_after_it(text):
    rules = {q["rule"] for q in extract(text).to_dict(debug=True)["quotes"]}
    assert "cue-model+content-before-inverted-source" not in rules


def test_a_source_after_the_verb_at_the_end_of_the_sentence_takes_the_content_before():
    text = "The ferry fares will stay low through the winter, wrote the harbour board."
    q = quote(extract(text), "ferry fares")
    assert q.text == "The ferry fares will stay low through the winter"


def test_where_a_quotation_was_said_is_not_its_content():
    text = '"The ferry will run all winter," Tom Reed, the harbour master, said in an interview.'
    result = extract(text)
    assert [q.text for q in result.quotes] == ["The ferry will run all winter,"]
    assert result.quotes[0].speaker == "Tom Reed"


@pytest.mark.parametrize(
    "text",
    [
        "The harbour office said in a statement that 3,000 ferries had been inspected.",
        "The harbour office reported to the council that 3,000 ferries had been inspected.",
    ],
)
def test_a_figures_comma_does_not_end_the_words_between_verb_and_clause(text):
    # "in a statement that 3," is no adjunct closed by a comma: the clause keeps its figure
    assert [q.text for q in extract(text).quotes] == ["3,000 ferries had been inspected"]


@pytest.mark.parametrize(
    ("source", "clause"),
    [
        ("The harbour office", "the ferry stood idle for a week"),
        ("The harbour office", "the port became the busiest in the region"),
        ("The harbour office", "the crew fought the fire for six hours"),
        ("The harbour office", "the ferry sank in the storm last year"),
        # past forms spelt like the base
        ("A harbour official", "the clean-up cost more than 2 million euros"),
        ("A harbour official", "the storm shut three schools for a week"),
        ("A harbour official", "the ferry firm quit the island route in March"),
        ("A harbour official", "the fire spread to two warehouses"),
    ],
)
def test_a_clause_whose_verb_is_an_irregular_past_is_reported_speech(source, clause):
    (q,) = extract(f"{source} said {clause}.").quotes
    assert (q.text, q.kind) == (clause, "speech")


@pytest.mark.parametrize(
    ("words", "finite"),
    [("the clean-up cost", True), ("not to spread the fuel", False), ("continual cost-cutting", False)],
)
def test_a_past_spelt_like_the_base_is_finite_but_not_after_to_or_before_a_hyphen(words, finite):
    assert (FINITE_RE.search(words) is not None) is finite


def test_an_aside_naming_its_source_reports_nothing_after_it_closes():
    text = "She feared that the poor reviews (as low as 12% at one point, Ortega says) hurt her brother."
    assert not [q for q in extract(text).quotes if q.text.startswith(")")]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Ferry fares rose again last year (the steepest rise was in the spring, according to the harbour office).",
            "the steepest rise was in the spring",
        ),
        (
            "Ferry fares rose again last year (the spring rise was the steepest in a decade, the harbour office said).",
            "the spring rise was the steepest in a decade",
        ),
    ],
)
def test_a_source_inside_an_aside_reports_the_aside_not_the_sentence(text, content):
    assert [q.text for q in extract(text).quotes] == [content]


def test_the_official_after_an_unnamed_official_is_not_the_last_named_speaker():
    text = (
        "Maria Lopez, who chairs the committee, said the vote would go ahead on Friday.\n\n"
        "An airport official said 200 flights had been cancelled.\n\n"
        "The official said a further 40 would be delayed."
    )
    q = quote(extract(text), "further 40")
    assert q.speaker is None


def test_the_official_is_still_the_last_speaker_when_nobody_unnamed_came_between():
    text = (
        "An airport official said 200 flights had been cancelled.\n\n"
        "Maria Lopez, who chairs the committee, said the vote would go ahead on Friday.\n\n"
        "The official said a further 40 would be delayed."
    )
    assert quote(extract(text), "further 40").speaker == "Maria Lopez"


@pytest.mark.parametrize("subject", ["Local groups", "Two senior officials", "Cycling campaigners"])
def test_an_unnamed_subject_and_said_after_another_verb_is_speech(subject):
    (q,) = extract(f"{subject} welcomed the vote but said the plan did not go far enough.").quotes
    assert (q.text, q.kind, q.speaker) == ("the plan did not go far enough", "speech", None)


def test_who_said_it_is_the_unnamed_group_not_the_name_in_its_relative_clause():
    text = "A resident who has sued Mayor Ann Holt over the permit said the pier was never inspected."
    q = quote(extract(text), "pier")
    assert q.speaker is None  # not Ann Holt: she is who was sued


def test_a_group_named_before_who_speaks_through_it():
    text = "Republican lawmakers who wrote the ferry bill said the judge had ignored voters."
    assert [(q.text, q.speaker) for q in extract(text).quotes] == [
        ("the judge had ignored voters", "Republican lawmakers")
    ]


def test_a_document_written_is_not_a_reported_clause():
    text = "Lawmakers who wrote the ferry bill were critical of the ruling."
    assert not [q for q in extract(text).quotes if q.kind == "speech"]


def test_a_role_given_after_the_name_replaces_a_mere_honorific():
    result = extract("Dr. Amara Obi, the board's medical director, said bed occupancy had passed 95 percent.")
    (obi,) = result.speakers
    assert (obi.name, obi.title) == ("Amara Obi", "medical director")


@pytest.mark.parametrize("quoted", ["quoted as saying", "quoted by the Harbour Gazette as saying"])
def test_quoted_as_saying_is_the_subjects_speech(quoted):
    text = f"Governor Ana Ruiz spoke on Tuesday. She was {quoted} that the harbour would reopen in May."
    (q,) = [q for q in extract(text).quotes if q.kind == "speech"]
    assert (q.text, q.speaker) == ("the harbour would reopen in May", "Ana Ruiz")


def test_an_unnamed_body_opening_the_sentence_speaks_through_its_participle():
    text = "Norway's central bank cut its growth forecast on Tuesday, saying exports would slow the economy."
    (q,) = [q for q in extract(text).quotes if q.kind == "speech"]
    assert (q.text, q.speaker) == ("exports would slow the economy", None)


def test_a_contrasting_clause_with_its_own_source_ends_the_content():
    text = "The mayor said the budget was balanced, while critics argued it hid a deficit."
    assert [q.text for q in extract(text).quotes] == ["the budget was balanced", "it hid a deficit"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("The firm's chief financial officer Jane Doyle said revenue fell 12 percent.", "chief financial officer"),
        ('"It is a dark day," the chief constable, Ruth Evans, told a press conference.', "chief constable"),
    ],
)
def test_a_role_of_several_words_is_kept_whole(text, title):
    (speaker,) = extract(text).speakers
    assert speaker.title == title


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sam Okafor, a toxicologist who was not involved in the study, said the effects were unknown.", "speech"),
        ("Ruth Law, a chemist at the institute, said the effects were unknown.", "speech"),
        ("Dan Ito, a lawyer who read the report, said the effects were unknown.", "speech"),
        ("The study, published on Monday, said the effects were unknown.", "other"),
    ],
)
def test_a_document_word_in_a_persons_description_leaves_their_words_speech(text, kind):
    assert [q.kind for q in extract(text).quotes if q.text == "the effects were unknown"] == [kind]


@pytest.mark.parametrize("conjunction", ["after", "before", "because"])
def test_the_source_after_a_subordinator_is_not_the_main_clauses_subject(conjunction):
    text = f"Minister Tom Carey resigned on Saturday {conjunction} a newspaper reported that the claims were false."
    q = quote(extract(text), "claims were false")
    assert q.speaker is None


def test_a_sum_added_is_not_a_reported_clause():
    text = "Employers added 142,000 jobs during the month, more than economists had expected."
    assert not [q for q in extract(text).quotes if q.kind == "speech"]


def test_a_described_person_of_a_body_is_the_person():
    result = extract("But economist Torvin Lind of Nordbank said the fall reflected people leaving the workforce.")
    assert [(s.name, s.type) for s in result.speakers] == [("Torvin Lind", "person")]


def test_a_pronoun_after_an_abbreviation_is_the_subject_not_the_phrase_before_it():
    text = "Tom Reed spoke at a breakfast this morning in Washington D.C. He recalled that the ferry ran all winter."
    q = quote(extract(text), "ferry")
    assert q.speaker == "Tom Reed" and text[q.source_start : q.source_end] == "He"


@pytest.mark.parametrize("lead", ["And", "Although", "But"])
def test_a_pronoun_subject_after_a_connective_is_resolved(lead):
    text = f"Tom Reed met the council on Monday. {lead} he said that the ferry would run all winter."
    q = quote(extract(text), "ferry")
    assert q.speaker == "Tom Reed" and text[q.source_start : q.source_end] == "he"


def test_cue_vocabulary_counts_only_uses_outside_quotation_marks():
    from claims.extraction.train_attribution import cue_vocabulary

    quoted = " ".join('"We reckon the ferry is late," a rider said.' for _ in range(60))
    golds = [{"text": quoted, "quotes": []}]
    for i in range(5):
        text = f"Ann Lee and Bo Park{i} reckon the ferry will run at dawn."
        at = text.index("reckon")
        golds.append({"text": text, "quotes": [{"cue_start": at, "cue_end": at + 6}]})
    # 5 cue uses against 65 uses in all would be too rare a cue; the quoted uses are never
    # offered to the cue decision, so they do not count against it
    assert "reckon" in cue_vocabulary(golds)


def test_shipped_model_reads_a_plural_subject_thinking_as_a_belief():
    result = extract("Many riders think the ferry will never run on time again.")
    q = quote(result, "the ferry will never run")
    assert q.kind == "belief" and q.rule.startswith("cue-model")


def test_a_quotation_running_on_keeps_the_source_and_cue_of_the_one_before():
    text = (
        '"The harbour will reopen in May," the port director, Ines Varga, said on Monday. '
        '"Until then the ferries will use the northern pier."'
    )
    result = extract(text)
    first, then = quote(result, "harbour"), quote(result, "ferries")
    assert then.speaker == first.speaker == "Ines Varga"
    assert then.cue == first.cue == "said" and then.kind == "speech"
    assert (then.cue_start, then.cue_end) == (first.cue_start, first.cue_end)
    assert text[then.cue_start : then.cue_end] == "said"
    assert (then.source_start, then.source_end) == (first.source_start, first.source_end)


@pytest.mark.parametrize(
    "text",
    [
        'The vote was close. "Taxes are too high and the roads are broken." \u2014 Rep. Maria Ortiz',
        'Maria Ortiz spoke.\n\n"Taxes are too high and the roads are broken."\n\n- Ortiz.\n\nThe vote is Friday.',
    ],
)
def test_a_quotation_signed_after_a_dash_is_attributed_to_the_name(text):
    q = quote(extract(text), "Taxes")
    assert q.speaker == "Maria Ortiz" and q.direct
    assert text[q.source_start : q.source_end] in ("Rep. Maria Ortiz", "Ortiz")


def test_a_dash_inside_the_sentence_after_a_quotation_signs_nothing():
    result = extract('"It will rain on Sunday," the forecast said - Monday brought sun instead.')
    assert all(q.speaker != "Monday" for q in result.quotes)


def test_a_quotation_then_its_subject_before_a_verb_is_not_content_of_that_verb():
    text = 'The strike went on. "We will not back down," the union leader, Maria Ortiz, told the radio station.'
    result = extract(text)
    assert [(q.text, q.speaker) for q in result.quotes] == [("We will not back down,", "Maria Ortiz")]


def test_only_speech_puts_its_source_after_the_verb():
    result = extract("Mark Tanner, the team owner, criticized the new stadium plan on Monday.")
    assert not any("Mark Tanner" in q.text for q in result.quotes)


def test_a_quotation_closing_reported_speech_is_part_of_it():
    text = 'Lena Brandt said it is naive to expect that, once the dam is finished, "the valley will flood no more."'
    result = extract(text)
    reported = quote(result, "naive")
    fragment = next(q for q in result.quotes if q.text == "the valley will flood no more.")
    assert not reported.direct and reported.text.endswith('flood no more."')
    assert fragment.partial and fragment.speaker == "Lena Brandt"
    q = quote(extract('Lena Brandt said on Monday, "The valley will not flood again."'), "valley")
    assert not q.partial and q.direct and q.rule == "marks+attribution-before"


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            '"The rent doubled in two years," Maria Ortiz, who runs a bakery near the station, '
            'said at a meeting the tenants called. "Nobody here can pay that."',
            "Maria Ortiz",
        ),
        (
            '"The queue was far too long," Tom Reed, 45, of Leeds, who filled in the survey, said in a '
            'second interview. "It took all afternoon."',
            "Tom Reed",
        ),
    ],
)
def test_a_source_described_at_length_after_the_quotation(text, speaker):
    result = extract(text)
    assert [q.speaker for q in result.quotes if q.direct] == [speaker, speaker]
    assert not any(q.text.startswith(("at a meeting", "in a second")) for q in result.quotes)


def test_where_and_when_it_was_said_is_not_content():
    result = extract('"The garden was my idea," Mr. Hale, a retired teacher, said by telephone on Friday.')
    assert [q.text for q in result.quotes] == ["The garden was my idea,"]


def test_a_single_quotation_closed_inside_before_a_spaced_double_mark():
    text = (
        "\"After a fair count, you call the winner and say, 'Good race,' \" said Rep. Ann Holt, a council "
        'member from Bristol. "If the count is rigged, you cannot say that."'
    )
    result = extract(text)
    first, then = quote(result, "fair count"), quote(result, "rigged")
    assert first.text.endswith("'Good race,' ") and first.speaker == then.speaker == "Ann Holt"


def test_a_quotation_after_a_fragment_and_its_attribution_continues_it():
    text = 'The ferry "needs a second crew," said Brandt, whose town relies on it. "It runs all night in summer."'
    assert quote(extract(text), "all night").speaker == "Brandt"


def test_a_dash_signature_may_name_a_place_after_the_person():
    text = 'The crowd left.\n\n"The library must stay open on Sundays."\n\n-Maria Ortiz, Leeds.'
    assert quote(extract(text), "library").speaker == "Maria Ortiz"


def test_a_name_inside_the_quotation_is_not_who_said_it():
    text = (
        "Wayne Bell has run the food bank for ten years. "
        '"Anna Kovacs taught me how to fill a van in an hour, and I still do it her way," he said.'
    )
    assert quote(extract(text), "fill a van").speaker == "Wayne Bell"


def test_a_capitalised_preposition_opening_a_sentence_is_not_part_of_a_name():
    text = 'Like Brandt, the old ferryman, Okafor wants a quieter job. "I am 70 and my knees hurt," he said.'
    result = extract(text)
    assert all(not (q.speaker or "").startswith("Like") for q in result.quotes)
    assert all(not s.name.startswith("Like") for s in result.speakers)


def test_whom_a_source_is_telling_comes_before_what():
    q = quote(
        extract("Ann Lee is telling volunteers at the count in the north that the bridge will be rebuilt."), "bridge"
    )
    assert q.text == "the bridge will be rebuilt" and q.speaker == "Ann Lee"


def test_according_to_a_source_described_by_a_relative_clause():
    text = "The council has asked for new bus lanes, according to the Harbour Gazette, which covers local politics."
    q = quote(extract(text), "bus lanes")
    assert q.text == "The council has asked for new bus lanes" and q.speaker == "Harbour Gazette"


def test_saying_after_a_quoted_fragment_still_reports_speech():
    result = extract('Tom Reed praised the budget as "excellent," saying that the schools would gain most.')
    q = quote(result, "schools")
    assert q.text == "the schools would gain most" and q.speaker == "Tom Reed"


def test_a_pronoun_subject_still_reports_speech_when_it_cannot_be_resolved():
    q = quote(extract("He defended the plan, saying that the unions would lose."), "unions")
    assert q.text == "the unions would lose" and q.speaker is None and q.attribution == "He"


@pytest.mark.parametrize(
    "text, content",
    [
        (
            "Classes start late. The school needs more teachers, she said in an interview afterwards.",
            "The school needs",
        ),
        ("The fund paid for two new roofs, he said; the board disagreed.", "The fund paid for two new roofs"),
    ],
)
def test_content_before_a_source_followed_by_where_or_another_clause(text, content):
    assert quote(extract(text), content).text.startswith(content)


def test_a_quotation_before_but_and_a_that_clause_is_not_that_verbs_content():
    text = '"We share the harbour and the ferries," but Tom Reed denied that the two towns would merge.'
    q = quote(extract(text), "merge")
    assert q.text == "the two towns would merge" and q.speaker == "Tom Reed"


def test_a_quotation_after_a_sentence_whose_named_source_said_something_is_theirs():
    text = (
        "Paul Reed introduced the governor at a town hall on Monday. Reed praised the governor's work "
        'after the flood.\n\n"What this county needs is someone who finishes what they start."'
    )
    q = quote(extract(text), "finishes")
    assert q.speaker == "Paul Reed" and q.rule == "marks+previous-source"


def test_a_quotation_with_nobody_before_it_is_no_quote():
    text = 'The storm passed on Monday.\n\n"What this county needs is someone who finishes what they start."'
    assert [q for q in extract(text).quotes if "finishes" in q.text] == []


def test_a_title_in_quotation_marks_inside_a_sentence_is_not_a_quote():
    text = '"Cooking is how I rest," Tom Reed said in June on the radio show "Mornings at the Mill."'
    result = extract(text)
    assert [q.text for q in result.quotes if q.direct] == ["Cooking is how I rest,"]


def test_markup_left_in_pasted_text_is_neither_quote_nor_speaker():
    text = (
        'The mayor answered on Twitter. <tweet id="12" author="@annlee" datetime="2016-02-15">'
        '"The new park opens in May," wrote Ann Lee.</tweet>'
    )
    result = extract(text)
    assert [q.text for q in result.quotes] == ["The new park opens in May,"]
    assert quote(result, "park").speaker == "Ann Lee"


def test_a_quotation_after_a_newer_statement_belongs_to_its_source_not_the_last_quoted():
    text = (
        '"Nobody has won this yet," said Craig Hale, an editor in Dundee. '
        'Or perhaps the mayor will, analyst Tom Reed says. "Her numbers rose all spring."'
    )
    result = extract(text)
    assert quote(result, "won this").speaker == "Craig Hale"
    assert quote(result, "numbers rose").speaker == "Tom Reed"


def test_a_learned_content_ends_where_a_second_verb_phrase_begins():
    text = "Maria Ortiz praised the new harbour plan before explaining why she backs the mayor."
    result = extract(text)
    assert quote(result, "harbour").text == "the new harbour plan"
    assert quote(result, "backs").text == "why she backs the mayor"


def test_a_noun_spelled_like_a_speech_verb_gives_no_speaker():
    result = extract("Nevada was long a reliable Democratic state, backing the party in every race.")
    assert quote(result, "the party").speaker == "Nevada"
    assert "Democratic" not in [s.name for s in result.speakers]


def test_a_speech_verb_spelled_like_a_noun_still_cues_after_a_plural_subject():
    result = extract("Harbour officials state that the ferry will run again in May.")
    assert quote(result, "ferry").cue == "state"


def test_a_document_attributes_as_evidence_for_whoever_wrote_it():
    result = extract('A Harbour Authority report said "the pier needs new piles" before winter.')
    assert quote(result, "new piles").speaker == "Harbour Authority"
    unsigned = quote(extract("The study said that the pier needs new piles before winter."), "new piles")
    assert (unsigned.speaker, unsigned.kind) == (None, "other")


@pytest.mark.parametrize(
    "text",
    [
        'Vane, during a town hall in Dayton, Ohio, said she was "going to close the old mills," to applause.',
        'Vane, who toured Dayton, Ohio, on Monday to meet workers, said she was "going to close the old mills."',
    ],
)
def test_an_adjunct_between_the_source_and_its_verb_is_not_the_source(text):
    q = quote(extract(text), "old mills")
    assert q.speaker == "Vane" and text[q.source_start : q.source_end] == "Vane"


def test_the_source_span_of_a_phrase_set_off_by_commas_is_exact():
    text = 'It rained. Vane, the mayor, said she was "going to close the old mills," to applause.'
    q = quote(extract(text), "old mills")
    assert text[q.source_start : q.source_end] == "Vane, the mayor"


def test_a_learned_cue_opening_its_sentence_after_its_subject_keeps_its_content():
    text = "It was late. Her rival, Senator Ben Ross, also praised the mayor's actions."
    q = quote(extract(text), "actions")
    assert q.text == "the mayor's actions" and q.speaker == "Ben Ross"


@pytest.mark.parametrize(
    ("text", "said"),
    [('"Absolutely," Mrs. Lind said.', "Absolutely,"), ('Mira Lind spoke first. "Really," she added.', "Really,")],
)
def test_one_word_said_is_a_quote_not_a_quoted_name(text, said):
    assert quote(extract(text), said).speaker in ("Lind", "Mira Lind")


def test_a_quoted_name_inside_a_sentence_is_still_no_quote():
    assert extract('He hosted "Apprentice," a show about builders.').quotes == []


@pytest.mark.parametrize("verb", ["shouted", "exclaimed", "retorted", "scoffed", "muttered"])
def test_manner_of_speaking_verbs_attribute_a_quotation(verb):
    text = f'"Put the boats back in the water," Captain Rhea Stone {verb} at the pier.'
    assert quote(extract(text), "boats").speaker == "Rhea Stone"


def test_a_programme_named_after_its_host_is_not_the_host():
    text = 'On The Ada Brook Show, the host spoke about the race. "It is a close one," Brook said.'
    assert quote(extract(text), "close one").speaker == "Brook"


@pytest.mark.parametrize("opening", ["Port Ellis (AFP) – ", "LAKE TOWN, March 3 (UPI) — ", "Port Ellis, Nev. (AP) — "])
def test_a_dateline_with_an_agency_is_no_source(opening):
    text = opening + "Mayor Ann Holt on Monday toured the harbour, accusing the council of a long delay."
    result = extract(text)
    assert all(q.speaker == "Ann Holt" for q in result.quotes) and result.quotes
    assert not [s for s in result.speakers if "Ellis" in s.name or "Lake" in s.name.title()]


def test_a_raising_verb_attributes_its_subject_to_nobody():
    result = extract("Harbour voters appear to back the new ferry plan, and the vote is close.")
    pieces = [(q.text, q.speaker, q.kind) for q in result.quotes if q.rule == "raising-verb"]
    assert pieces == [("Harbour voters", None, "other")]
    assert [q.rule for q in extract("It seems the ferry will run.").quotes if q.rule == "raising-verb"] == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ('Dora Welk toured the mill. "Is that really all?" she asked the manager.', "Is that really all?"),
        ("Dora Welk toured the mill on Friday, though she later wrote that the looms were slow.", "looms were slow"),
        ("Dora Welk toured the mill on Friday. She barely said that the looms were slow.", "the looms were slow"),
    ],
)
def test_a_subject_pronoun_before_its_verb_is_the_source(text, content):
    found = quote(extract(text), content)
    assert (found.speaker, found.attribution) == ("Dora Welk", found.attribution.split()[-1])
    assert found.attribution.lower() in ("he", "she")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Businessman Mark Cuban said the levy was weak. Later Cuban said it would hurt shops.", "Mark Cuban"),
        ("Representative Steven Israel, a Democrat, said the vote was close.", "Steven Israel"),
        ("Amy Pope, a deputy adviser, said the threat was real.", "Amy Pope"),
        ("Sen. Clara Mosse (D-Mo.) said the bill would pass.", "Clara Mosse"),
        ("A new Harwick poll shows that voters want a change.", "Harwick"),
    ],
)
def test_names_that_are_also_places_nationalities_or_titles(text, speaker):
    quotes = extract(text).quotes
    assert quotes and all(q.speaker == speaker for q in quotes if q.kind != "belief")


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a surname ending in -ing is known once the full name was seen
        (
            "Piet Odeling, a baker in Leeds, said flour prices fell. Odeling said the oven was old.",
            "oven",
            "Piet Odeling",
        ),
        # a common given name tells whom "she" refers to
        ('Trevor Ashby met Bethany Crane on Monday. "We agree on the harbour," she said.', "We agree", "Bethany Crane"),
        # a school of law is part of a name, not a document
        ("Stephen Vollard of the Dunmore School of Law said the case was weak.", "case was weak", "Stephen Vollard"),
        # a weekday after a surname is not part of the name
        (
            "Mara Brodrick spoke to reporters. Brodrick Sunday night recounted that the talks were tense.",
            "talks",
            "Mara Brodrick",
        ),
    ],
)
def test_who_said_it_when_names_look_like_other_words(text, fragment, speaker):
    assert quote(extract(text), fragment).speaker == speaker


def test_an_aside_between_dashes_is_not_the_source():
    result = extract("Joyce Vane — who is a lawyer in Ohio — told the Daily Star she is not planning an appeal.")
    assert quote(result, "not planning").speaker == "Joyce Vane"


def test_a_relative_clause_names_its_own_source_and_ends_at_its_comma():
    found = quote(extract("The levy, which an audit said was badly drafted, will be repealed."), "badly drafted")
    assert (found.text, found.attribution) == ("was badly drafted", "an audit")


@pytest.mark.parametrize("opening", ["Noting", "In addition to noting", "Having noted"])
def test_a_participle_opening_the_sentence_is_said_by_the_main_clause_subject(opening):
    found = quote(extract(f"{opening} that the ferry was late again, Allen Marsh said the pier was old."), "ferry")
    assert (found.text, found.speaker) == ("the ferry was late again", "Allen Marsh")


def test_an_adverb_before_a_speech_verb_is_not_a_second_cue():
    quotes = extract("Rubio Vance has repeatedly said that the pier should stay open.").quotes
    assert [(q.text, q.cue) for q in quotes] == [("the pier should stay open", "said")]


def test_a_name_after_the_verb_is_the_source_of_a_clause_before_the_comma():
    text = '"Many would call that a defeat" if she won by less, said Dan Varga, an analyst at Keller.'
    found = quote(extract(text), "defeat")
    assert (found.speaker, found.attribution) == ("Dan Varga", "Dan Varga, an analyst")
    appositive = quote(extract("Ann Lee, the owner, said Tom Reed, the chef, would stay."), "Tom Reed")
    assert appositive.speaker == "Ann Lee"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Mr. King said the vote was close.", "King"),
        ("Another pollster, David Woodard of Clemson University, said the race was tight.", "David Woodard"),
        ("Rep. Steve Israel (D-N.Y.) said the vote was close.", "Steve Israel"),
        ("Norway said the strike hit a depot.", "Norway"),
    ],
)
def test_surnames_after_honorifics_people_of_a_body_and_countries_speak(text, speaker):
    assert [q.speaker for q in extract(text).quotes] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Cecile Rand: ‘I’m Sick Of Men Telling Us What To Do.’", "Cecile Rand"),
        ("According to HarbourPost: “The mayor has had a mixed record.”", "HarbourPost"),
    ],
)
def test_a_name_before_a_colon_speaks_a_quoted_headline(text, speaker):
    assert [q.speaker for q in extract(text).quotes] == [speaker]


def test_a_progressive_cue_reads_its_subject_before_the_auxiliary():
    text = "After talks with Tom Reed, the mayor, Ann Lee is hoping for a quick vote on the pier."
    assert quote(extract(text), "quick vote").speaker == "Ann Lee"


def test_a_long_according_to_phrase_opening_the_sentence_is_its_source():
    text = (
        "According to early results of the exit poll conducted by Harwick Research for the "
        "Daily Star and Channel Four, Ann Lee led in both counties."
    )
    found = quote(extract(text), "led in both counties")
    assert found.rule == "according-to-initial" and found.speaker.startswith("Harwick Research")


def test_a_description_after_the_verb_gives_way_to_the_name_it_introduces():
    found = quote(extract("The boy was shy, said his best friend at Lehigh, Bruce Turry."), "boy was shy")
    assert (found.speaker, found.attribution) == ("Bruce Turry", "Bruce Turry")


def test_a_reported_clause_may_open_with_its_own_adverbial_clause():
    found = quote(extract("Ann Lee said that when the mill did well, the owner was a good neighbour."), "mill did")
    assert (found.speaker, found.text) == ("Ann Lee", "when the mill did well, the owner was a good neighbour")


def test_a_clause_after_the_verb_means_the_comma_closed_an_apposition():
    text = "Ann Lee, the city's emergency director, said the heat and unsettled weather could last all week."
    assert [(q.speaker, q.text) for q in extract(text).quotes] == [
        ("Ann Lee", "the heat and unsettled weather could last all week")
    ]


def test_a_former_official_after_the_verb_is_the_source_of_what_came_before():
    found = quote(
        extract("But the cost is high, said former governor Dan Varga, who chairs the board."), "cost is high"
    )
    assert (found.speaker, found.text) == ("Dan Varga", "But the cost is high")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("According to Ann Lee, who chairs the board, the plan was weak.", "the plan was weak"),
        ("The plan was weak, according to Ann Lee, who said the council should start again.", "The plan was weak"),
    ],
)
def test_according_to_a_source_with_a_relative_clause(text, content):
    found = next(q for q in extract(text).quotes if q.cue == "according to")
    assert (found.speaker, found.text) == ("Ann Lee", content)


def test_an_infinitive_after_a_speech_verb_is_not_an_audience():
    text = "As long as Ann Lee continues to lead in the polls, voters will watch her campaign closely."
    assert extract(text).quotes == []
    found = quote(extract("Ann Lee said to reporters on Monday, the vote will go ahead."), "vote will")
    assert (found.speaker, found.text) == ("Ann Lee", "the vote will go ahead")


def test_a_participle_after_a_determiner_or_possessive_is_an_adjective():
    text = "The funds make up only a small share of Ann Lee’s reported net worth and the stated goals of her trust."
    assert extract(text).quotes == []


def test_a_subject_with_its_apposition_is_not_content_before_an_inverted_source():
    found = quote(extract("Congressman Dan Varga, a Lee supporter, said the aides plan to win."), "aides")
    assert (found.speaker, found.text) == ("Dan Varga", "the aides plan to win")
    assert quote(extract("Not at all, said the mayor."), "Not at all").rule.endswith("inverted-source")


def test_congressman_is_a_title():
    speakers = extract("Congresswoman Ann Lee said the plan was weak.").to_dict()["speakers"]
    assert [(s["name"], s["title"]) for s in speakers] == [("Ann Lee", "Congresswoman")]


def test_a_source_after_the_verb_is_not_read_as_its_reported_clause():
    texts = [q.text for q in extract("The plan is weak, said the mayor, who was elected in May.").quotes]
    assert texts == ["The plan is weak"]


@pytest.mark.parametrize(
    "text, content",
    [
        (
            "Dan Varga spoke at the fair. He said states will settle the race first.",
            "states will settle the race first",
        ),
        ("Ann Lee said claims of fraud were false.", "claims of fraud were false"),
    ],
)
def test_a_reported_clause_may_open_with_a_plural_noun_spelt_like_a_speech_verb(text, content):
    q = quote(extract(text), content)
    assert (q.text, q.rule, q.kind) == (content, "speech-verb", "speech")


def test_a_contracted_pronoun_opens_a_reported_clause():
    q = quote(extract("Dan Varga, the owner of the mill, says he's open to selling."), "open")
    assert (q.text, q.speaker, q.rule) == ("he's open to selling", "Dan Varga", "speech-verb")


def test_saying_after_an_unnamed_subject_is_still_reported_speech():
    text = "But other aides urged the council to sell the pier, saying that only a storm would move the state."
    q = quote(extract(text), "storm")
    assert (q.text, q.speaker, q.kind) == ("only a storm would move the state", None, "speech")


def test_a_quotation_after_a_colon_is_said_by_the_nearest_verb_before_it():
    text = 'Mark Hollis spoke. Asked whether the cut would be reversed, Hollis replied: "Not while I am here."'
    q = quote(extract(text), "Not while")
    assert (q.speaker, q.cue) == ("Mark Hollis", "replied")


def test_according_to_a_role_then_a_name_is_the_name():
    text = "According to the city's finance officer, Ray Diaz, the budget includes more for roads."
    q = quote(extract(text), "budget")
    assert (q.text, q.speaker) == ("the budget includes more for roads", "Ray Diaz")
    q = quote(extract("According to the paper, Ann Lee, the mayor, resigned on Friday."), "resigned")
    assert q.text == "Ann Lee, the mayor, resigned on Friday"


@pytest.mark.parametrize(
    "text, name, title",
    [
        ('"It is bad," said Prof. Ann Lee of the Paris School of Economics.', "Ann Lee", "Prof."),
        ("Gen. Pavel Moroz said the drones fell.", "Pavel Moroz", "Gen."),
    ],
)
def test_an_abbreviated_title_is_not_part_of_the_name(text, name, title):
    result = extract(text)
    assert [(s.name, s.title, s.type) for s in result.speakers] == [(name, title, "person")]
    assert result.quotes[0].speaker == name


def test_a_role_set_off_by_commas_lets_a_later_description_find_the_person():
    text = 'Dan Kovac, the Ukrainian president, met the envoy. "We will not give up," the president said.'
    result = extract(text)
    assert quote(result, "give up").speaker == "Dan Kovac"
    assert [(s.name, s.title) for s in result.speakers] == [("Dan Kovac", "Ukrainian president")]


def test_a_company_named_with_a_trade_word_is_the_company_a_description_means():
    text = 'Norvale Foods cut its forecast. "Trading remains hard," the company said in a statement.'
    assert quote(extract(text), "Trading").speaker == "Norvale Foods"


def test_a_party_member_described_is_no_speaker_of_their_own():
    result = extract('Sen. Ann Lee spoke on Monday. "It is a disgrace," the Ohio Democrat said.')
    assert quote(result, "disgrace").speaker is None
    assert [s.name for s in result.speakers] == []
    result = extract('Ohio Sen. Ann Lee spoke on Monday. "It is a disgrace," the Ohio Democrat said.')
    assert quote(result, "disgrace").speaker == "Ann Lee"


def test_an_audience_after_told_is_not_the_reported_clause():
    q = quote(extract("Tom Reed was arrested on Friday. He told police he was innocent."), "innocent")
    assert (q.text, q.speaker) == ("he was innocent", "Tom Reed")


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        (
            "The council met. That was the message from Councillor Amy Pike, who said the council would meet again.",
            "the council would meet again",
            "Amy Pike",
        ),
        ("Amy Pike, who said the council would meet again, left early.", "the council would meet again", "Amy Pike"),
        (
            "Amy Pike, who said that the pier, which is old, was safe, left.",
            "the pier, which is old, was safe",
            "Amy Pike",
        ),
        ("The council met. Ann Lee, the mayor, who said the pier was safe, resigned.", "the pier was safe", "Ann Lee"),
    ],
)
def test_who_said_is_said_by_the_name_before_it_and_ends_with_its_clause(text, content, speaker):
    q = quote(extract(text), content.split(",")[0])
    assert (q.text, q.speaker, q.kind) == (content, speaker, "speech")


def test_a_quotation_running_over_paragraphs_is_one_quote_per_paragraph():
    text = (
        'The bridge reopened on Monday.\n\n"The first thing we did was check every cable. We found rust on three.\n\n'
        '"Then we replaced all three," said Dan Varga, the chief engineer.'
    )
    quotes = [(q.text, q.speaker) for q in extract(text).quotes]
    assert quotes == [
        ("The first thing we did was check every cable. We found rust on three.", "Dan Varga"),
        ("Then we replaced all three,", "Dan Varga"),
    ]


def test_a_known_surname_with_age_and_role_is_the_subject():
    text = "Eva Kral spoke. Kral, 48, a former economist at the bank, has long argued that the tax hurts small firms."
    q = quote(extract(text), "tax hurts")
    assert (q.text, q.speaker) == ("the tax hurts small firms", "Eva Kral")


def test_a_word_before_a_role_and_a_name_is_no_cue():
    assert extract("Opposition leader Eva Kral disagreed with the plan.").quotes == []


def test_a_role_with_its_place_set_off_by_commas_is_the_title():
    result = extract("Ann Lee, the mayor of Leeds, met the board. Later the mayor said the bridge was safe.")
    assert quote(result, "bridge").speaker == "Ann Lee"
    assert [(s.name, s.title) for s in result.speakers] == [("Ann Lee", "mayor of Leeds")]


def test_a_role_noun_before_a_name_is_a_title_not_a_cue():
    result = extract("Consumer advocate Ed Ross was not convinced. 'It is a stunt,' he told the paper.")
    assert [(q.text, q.speaker) for q in result.quotes] == [("It is a stunt,", "Ed Ross")]


def test_a_role_set_off_before_the_name_is_the_title():
    result = extract("'We know,' the company's chief executive, Amanda Bardwell, says.")
    assert [(s.name, s.title) for s in result.speakers] == [("Amanda Bardwell", "chief executive")]
    assert result.quotes[0].speaker == "Amanda Bardwell"


def test_told_an_outlet_then_a_colon_attributes_the_quotation():
    text = (
        'Sergeant Sarah Cole said "we are appealing." The shop\'s owner, who asked not to be named, '
        'told the Evening News: "I have lost everything."'
    )
    q = quote(extract(text), "lost everything")
    assert (q.speaker, q.rule, q.partial) == (None, "marks+attribution-before", False)


def test_asked_then_said_and_a_colon_gives_only_the_quotation():
    text = 'Leo Mendes scored twice. Asked about his future, Mendes said: "I am happy here. That is all I will say."'
    said = [(q.text, q.speaker) for q in extract(text).quotes if q.kind == "speech"]
    assert said == [("I am happy here. That is all I will say.", "Leo Mendes")]


def test_a_playing_position_is_a_title():
    result = extract('Striker Leo Mendes was modest: "The keeper made great saves."')
    assert [(s.name, s.title) for s in result.speakers] == [("Leo Mendes", "Striker")]


def test_a_think_tank_is_no_belief():
    result = extract("The think tank, Freedom Watch, stood by its findings.")
    assert [q.text for q in result.quotes] == []


def test_a_title_of_several_words_before_a_name_is_no_cue():
    result = extract('Opposition Congress party leader Rahul Mehra called the response "predictable".')
    assert [(q.text, q.speaker) for q in result.quotes if q.kind == "speech"] == [("predictable", "Rahul Mehra")]
    assert all(not q.text.startswith("Congress") for q in result.quotes)


def test_an_adverb_before_that_is_not_part_of_the_reported_clause():
    q = quote(extract("Officials said privately that the report would not matter."), "report")
    assert q.text == "the report would not matter"


def test_a_possessive_role_before_the_name_is_the_title():
    result = extract("The think tank stood by its findings. Its director, Karen Holt, said the index fell.")
    assert [(s.name, s.title) for s in result.speakers] == [("Karen Holt", "director")]


def test_a_persons_office_or_campaign_speaks_for_the_person():
    result = extract("Senator Ann Lee's office said in a statement that she would vote against the bill.")
    assert [(q.text, q.speaker) for q in result.quotes] == [("she would vote against the bill", "Ann Lee")]
    assert [(s.name, s.type) for s in result.speakers] == [("Ann Lee", "person")]


def test_a_present_tense_verb_after_a_short_subject_makes_a_reported_clause():
    q = quote(extract('Ken Paxton spoke. Paxton said the law "protects Texans from censorship."'), "law")
    assert (q.text, q.speaker, q.kind) == ('the law "protects Texans from censorship."', "Ken Paxton", "speech")
    assert all(q.rule != "speech-verb" for q in extract("Ann Lee said the state laws of Texas.").quotes)


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "The Centers for Disease Control and Prevention has said that coverage must rise.",
            "Centers for Disease Control and Prevention",
        ),
        (
            "The Department of Health and Human Services said the rule would change.",
            "Department of Health and Human Services",
        ),
        ("Health officials in Ohio on Wednesday reported that 14 new cases were found.", None),
        ("Doctors at Mercy Hospital said the boy was stable.", "Mercy Hospital"),
    ],
)
def test_a_body_named_with_and_speaks_whole_and_officials_somewhere_are_unnamed(text, speaker):
    assert [q.speaker for q in extract(text).quotes] == [speaker]


@pytest.mark.parametrize(
    "text, title",
    [
        ("Chief executive Elon Musk told analysts that demand was strong.", "Chief executive"),
        ("The mayor met Senior adviser Ann Lee, who said the talks failed.", "Senior adviser"),
    ],
)
def test_a_title_of_several_words_before_a_name_is_kept_whole(text, title):
    assert [s.title for s in extract(text).speakers] == [title]


@pytest.mark.parametrize(
    "text, attribution, speaker",
    [
        # An adverb in -ly between the source and its verb is neither: the source is still
        # read whole ("officials in Pellham", unnamed; "the minister", who spoke before).
        (
            "Officials in Pellham cautiously said that the ferry would sail again in June.",
            "Officials in Pellham",
            None,
        ),
        (
            "Minister Ada Rusk said the port would open. The minister flatly denied that the tender was rigged.",
            "The minister",
            "Ada Rusk",
        ),
        # ...but a noun so spelt ends the source: "the family", "a rally".
        ("The family said that the house had been sold.", "The family", None),
    ],
)
def test_an_adverb_before_the_verb_is_not_part_of_the_source(text, attribution, speaker):
    q = extract(text).quotes[-1]
    assert (q.attribution, q.speaker) == (attribution, speaker)
