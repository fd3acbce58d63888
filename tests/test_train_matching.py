"""The re-ranker's training command: it reads the claim-retrieval format, writes one
weight per feature the app computes, and writes the same bytes from the same data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims import retrieval, train_matching

pytest.importorskip("sklearn")

CHECKED = [
    ("a", "The river bridge closed for repairs in May.", "Did the river bridge close in May?"),
    ("b", "A photograph shows the mayor asleep in a council meeting.", "Was the mayor asleep in the meeting?"),
    ("c", "Bus fares doubled in 2021.", "Did bus fares double?"),
    ("d", "The city planted 4,000 trees last spring.", "Did the city plant 4,000 trees?"),
    ("e", "A video shows a bear walking through the market square.", "Was a bear in the market square?"),
    ("f", "The library will close on Sundays from next month.", "Will the library close on Sundays?"),
    ("g", "School meals will be free for every pupil.", "Are school meals free for all pupils?"),
    ("h", "The harbour tunnel cost twice its estimate.", "Did the tunnel cost twice the estimate?"),
    ("i", "Water bills rose by 12 percent this year.", "Did water bills rise 12 percent?"),
    ("j", "The stadium roof collapsed during a storm.", "Did the stadium roof collapse?"),
]
POSTS = [
    ("1", "They shut the bridge over the river for repair work"),
    ("2", "Look at the mayor sleeping through the meeting pic.twitter.com/Qw12"),
    ("3", "Fares on the buses are twice what they were"),
    ("4", "4000 new trees in the city, they say"),
    ("5", "A bear strolled across the market square video"),
    ("6", "No library on Sundays any more"),
    ("7", "Free meals for every pupil at school"),
    ("8", "That tunnel in the harbour cost double the estimate"),
    ("9", "Water bills up 12% — Sam Lee (@samlee) June 1, 2023"),
    ("10", "The roof of the stadium fell in the storm"),
]


@pytest.fixture
def files(tmp_path):
    collection = tmp_path / "checked.tsv"
    collection.write_text("id\tclaim\ttitle\n" + "".join(f"{i}\t{c}\t{t}\n" for i, c, t in CHECKED))
    queries = tmp_path / "posts.tsv"
    queries.write_text("id\ttext\n" + "".join(f"{i}\t{t}\n" for i, t in POSTS))
    qrels = tmp_path / "answers.qrels"
    qrels.write_text("".join(f"{q} 0 {c[0]} 1\n" for (q, _), c in zip(POSTS, CHECKED, strict=True)))
    return ["--collection", str(collection), "--queries", str(queries), "--qrels", str(qrels), "--holdout", "0"]


def test_training_writes_one_weight_per_feature_and_the_same_bytes_twice(files, tmp_path, capsys):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    train_matching.main([*files, "--out", str(first)])
    train_matching.main([*files, "--out", str(second)])
    model = json.loads(first.read_text())
    assert model["features"] == list(retrieval.FEATURES) and len(model["weights"]) == len(retrieval.FEATURES)
    assert first.read_bytes() == second.read_bytes()
    assert "cross-validated MAP@5" in capsys.readouterr().out


def test_the_training_examples_hold_the_right_answer_among_each_posts_candidates(files):
    collection, queries = train_matching._tsv(Path(files[1])), train_matching._tsv(Path(files[3]))
    data = train_matching.examples(collection, queries, train_matching._answers(Path(files[5])))
    assert len(data) == len(POSTS)
    assert all(any(right) for _, right in data)
    assert all(len(row) == len(retrieval.FEATURES) for rows, _ in data for row in rows)
