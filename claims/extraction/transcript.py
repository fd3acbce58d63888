"""Transcripts: debates, interviews, speeches and hearings in the "SPEAKER: words" shape.

Each paragraph that opens with a speaker's label starts a turn; paragraphs without one
continue the turn before. The labels become speakers; who moderates is read from the label
("MODERATOR", "HOST", "Q", "AUDIENCE MEMBER") or, in a debate, from how a speaker talks (a
moderator asks questions in short turns: many turns with a question for the characters
spoken). Every sentence of a turn is a candidate claim of its speaker, scored with the
speaker's role, so a moderator's statistics and the reporters' questions rank low, and a
sentence the transcript already said is marked as a repeat.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .claims import inconsistencies, make_claim
from .lexicon import TITLE_WORDS
from .models import Claim, Extraction, Quote, Speaker
from .numbers import find_quantities
from .text import Paragraph, quote_marks, sentences

LINE_RE = re.compile(r"[^\n]+")
LABEL_HINT_RE = re.compile(r"^[ \t]*[A-Z][^:\n]{0,79}:[ \t]+\S", re.M)
WORD_RE = re.compile(r"[a-z0-9]+")
PAREN_RE = re.compile(r"\([^()]{0,60}\)")
MAX_LABEL = 80
MODERATOR_WORDS = frozenset(
    "moderator moderators host anchor interviewer presenter chair chairman chairwoman chairperson".split()
)
QUESTIONER_WORDS = frozenset(
    """q question questions questioner audience member members reporter reporters journalist
    press caller unidentified unknown voice""".split()
)
HONORIFICS = frozenset(
    """mr mrs ms miss dr sen senator rep representative gov governor president secretary
    judge justice prof professor sir dame lord lady""".split()
)
# A moderator's turns carry a question for every ~700 characters or fewer; a debater's far
# fewer (measured on debate transcripts: moderators 1.7 to 5.4 per 1,000 characters,
# candidates 0.2 to 0.8).
MODERATOR_QUESTIONS_PER_1000 = 1.3
MIN_TURNS = 3  # lines with a label; fewer is an article with a "Note:" line, not a transcript
MIN_TURN_CHARS = 40  # on average after a label: words spoken, not a list of results


@dataclass
class Turn:
    label: str  # as printed: "SEN. JANE DOE (D-XX), CANDIDATE"
    start: int  # the words, after the label
    end: int
    continues: bool = False  # a paragraph without a label, continuing the turn before


def _label(line: str) -> str | None:
    """The speaker's label of a line "LABEL: words", or None."""
    i = line.find(":", 0, MAX_LABEL)
    if i <= 0 or i + 1 >= len(line) or line[i + 1] not in " \t":
        return None
    label = line[:i].strip()
    if not label or not label[0].isalpha() or any(c.isdigit() for c in label):
        return None
    bare = PAREN_RE.sub("", label).split(",")[0].strip()
    words = bare.split()
    if not words or len(words) > 5:
        return None
    if bare.isupper() or all(w[0].isupper() for w in words if w[0].isalpha()) and len(words) <= 3:
        return label
    return None


def turns(text: str) -> list[Turn] | None:
    """The turns of a text in the "SPEAKER: words" shape, or None for any other text.

    At least three labelled lines, and labelled lines at least half of the lines of 30
    characters or more (a speech's stage directions and short asides may stand alone)."""
    if text.count(":") < MIN_TURNS:
        return None
    hints = 0
    for _ in LABEL_HINT_RE.finditer(text):  # one pass in C before reading line by line
        hints += 1
        if hints >= MIN_TURNS:
            break
    else:
        return None
    out: list[Turn] = []
    long_lines = labelled = labelled_chars = 0
    for m in LINE_RE.finditer(text):
        s, e = m.start(), m.end()
        line = text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        long_lines += len(stripped) >= 30
        label = _label(stripped)
        if label is not None:
            labelled += 1
            s += len(line) - len(line.lstrip()) + line.lstrip().find(":") + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if label is not None:
            out.append(Turn(label, s, e))
            labelled_chars += e - s
        elif out and s < e:
            out.append(Turn(out[-1].label, s, e, continues=True))  # a paragraph continuing the turn
    if labelled < MIN_TURNS or labelled * 2 < long_lines or labelled_chars < MIN_TURN_CHARS * labelled:
        return None  # too few labels, or "Name: 1,234" tallies rather than words spoken
    return out


def _words_of(label: str) -> list[str]:
    return WORD_RE.findall(label.lower())


def speaker_name(label: str) -> tuple[str, str]:
    """(name, title) of a label: "SEN. JANE DOE (D-XX), CANDIDATE" -> ("Jane Doe", "Senator"...)."""
    head, _, rest = PAREN_RE.sub("", label).partition(",")
    words = head.replace(".", ". ").split()
    titles = []
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in HONORIFICS or words[0].rstrip(".").capitalize() in TITLE_WORDS
    ):
        titles.append(words.pop(0).rstrip(".").capitalize())
    name = " ".join(words)
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    title = rest.strip() or " ".join(titles)
    if title.isupper():
        title = title.title()
    return name, title


def role_of(label: str) -> str | None:
    """ "moderator" or "questioner" when the label says so, else None."""
    words = set(_words_of(label))
    if words & MODERATOR_WORDS:
        return "moderator"
    if words & QUESTIONER_WORDS:
        return "questioner"
    return None


def is_stage_direction(words: str) -> bool:
    """ "(APPLAUSE)", "[crosstalk]": not anyone's words."""
    w = words.strip()
    return len(w) >= 2 and w[0] in "([" and w[-1] in ")]"


def speaker_roles(turn_texts: list[tuple[str, str]]) -> dict[str, str]:
    """Role of each label ("moderator", "questioner" or "speaker") from (label, words) turns."""
    roles: dict[str, str] = {}
    chars: dict[str, int] = {}
    asks: dict[str, int] = {}
    for label, words in turn_texts:
        if is_stage_direction(words):
            continue
        chars[label] = chars.get(label, 0) + len(words)
        asks[label] = asks.get(label, 0) + ("?" in words)
    for label in chars:
        roles[label] = role_of(label) or "speaker"
    free = [lb for lb in chars if roles[lb] == "speaker"]
    others = [lb for lb in chars if roles[lb] != "speaker"]
    if len(free) + len(others) >= 2 and not any(roles[lb] == "moderator" for lb in others):
        rate = {lb: 1000 * asks[lb] / max(1, chars[lb]) for lb in free}
        lowest = min(rate.values(), default=0.0)
        for lb in free:
            if rate[lb] >= MODERATOR_QUESTIONS_PER_1000 and rate[lb] > lowest and asks[lb] >= MIN_TURNS:
                roles[lb] = "moderator"
    return roles


def _norm(sentence: str) -> str:
    return " ".join(WORD_RE.findall(sentence.lower()))


def read_transcript(text: str, found: list[Turn], *, threshold: float, min_chars: int) -> Extraction:
    """Speakers, their turns as quotes, and their sentences as ranked candidate claims."""
    roles = speaker_roles([(t.label, text[t.start : t.end]) for t in found])
    # one speaker per name: "CLINTON" and "HILLARY CLINTON" are the same person
    names: dict[str, tuple[str, str]] = {lb: speaker_name(lb) for lb in roles}
    by_surname = {n.split()[-1].lower(): n for n, _ in names.values() if len(n.split()) > 1}
    canonical = {lb: by_surname.get(n.lower(), n) if " " not in n else n for lb, (n, _) in names.items()}
    speakers: dict[str, Speaker] = {}
    for lb, name in canonical.items():
        sp = speakers.get(name)
        if sp is None:
            title = names[lb][1]
            if roles[lb] == "moderator":
                title = title or "Moderator"
            sp = speakers[name] = Speaker(name, [], "person", title, role=roles[lb])
        for alias in (names[lb][0], lb):
            if alias != name and alias not in sp.aliases:
                sp.aliases.append(alias)
        if roles[lb] == "moderator":
            sp.role = "moderator"
    all_qty = find_quantities(text)
    q_starts = [q.start for q in all_qty]
    quotes: list[Quote] = []
    claims: list[Claim] = []
    seen: set[str] = set()
    merge = False  # whether this paragraph extends the quote before: one turn, one quote
    for t in found:
        words = text[t.start : t.end]
        if t.label not in roles or is_stage_direction(words):
            merge = False
            continue
        name, role = canonical[t.label], roles[t.label]
        if merge and t.continues:
            turn = quotes[-1]
            turn.end = t.end
            turn.text = text[turn.start : t.end]
        else:
            quotes.append(Quote(words, t.start, t.end, name, True, None, 0.9, False, t.label, rule="transcript-turn"))
        merge = True
        para = [Paragraph(t.start, t.end, False)]
        marks = [(m.start, m.end) for m in quote_marks(text, para)]
        for s, e, _ in sentences(text, para, marks):
            key = _norm(text[s:e])
            repeat = key in seen
            seen.add(key)
            if e - s < min_chars:
                continue
            qty = all_qty[bisect_left(q_starts, s) : bisect_left(q_starts, e)]
            claim = make_claim(text, s, e, qty, name, False, False, role=role, repeat=repeat)
            if claim.score >= threshold:
                claims.append(claim)
    return Extraction(quotes, claims, list(speakers.values()), inconsistencies(text, all_qty))
