"""Who speaks: name mentions, titles, aliases, and resolution of pronouns and descriptions.

The registry is fed sentence by sentence, in order, so "he" and "the official" resolve
against what the reader has seen so far: the subject of a recent sentence first, then the
most recent matching person or organisation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from . import lexicon as L
from . import model as M
from .models import Speaker
from .names import (
    FULLNAME_RE,
    LEADING_STOP,
    NOT_NAMES,
    POSSESSIVE_RE,
    RUN_RE,
    classify,
    clean_run,
    is_acronym,
    norm,
    split_person,
)

SPOKES_FOR_RE = re.compile(
    r"^(?:an?|the|one)\s+(?:[\w-]+\s+){0,2}?(?:spokes\w+|representative|official|officer|"
    r"dispatcher|source|lawyer|employee)\s+(?:for|of|at|from|with)\s+(?P<org>.+)$",
    re.IGNORECASE,
)
STATEMENT_FROM_RE = re.compile(
    r"^(?:an?|the)\s+(?:\w+\s+)?(?:statement|release|post|letter|tweet|message|announcement)\s+"
    r"(?:from|by|issued\s+by|of)\s+(?P<org>.+)$",
    re.IGNORECASE,
)
SPOKESPERSON = frozenset("spokesman spokeswoman spokesperson representative".split())
PRONOUN_WINDOW = 5  # sentences back in which a pronoun's referent is looked for
PRONOUN_CANDIDATES = 8
PRONOUN_MIN = 0.05  # below this the model's best candidate is no better than nobody
PRONOUN_NEAR = 150  # characters: a candidate mentioned this close before the pronoun is "near"
NAMED_FIRST = L.FEMALE_NAMES | L.MALE_NAMES  # a known first name: a person, not a headline fragment
RECENT = 300  # descriptions resolve among the last entities seen, which keeps this linear
RECENT_MENTIONS = 50
PERSON_DESCRIPTION_RE = re.compile(
    r"(?:One of the|(?:The|A|An|One)(?:\s+[a-z]+)?)\s+(?:woman|man|girl|boy|victims?|mother|father|child|"
    r"teenager|witness|resident|driver|passenger|student|teacher|doctor|nurse|suspect|survivor|worker)\b"
)
SUBJECT_VERB_RE = re.compile(
    r"\s+(?:also\s+|then\s+|later\s+)?(?:[a-z]{3,}ed|said|says|told|won|lost|made|took|gave|has|had|was|is|will|"
    r"would|became|began|led|held|spoke|went|came|wrote|sent|left|met|ran|sold|built|thinks|believes|wants)\b"
)
CLAUSE_PUNCT_RE = re.compile(r"[,;:.()\[\]]")
# "the Chinese government", "a UN tribunal in The Hague": a name plus a public-body noun
_HEADS = "|".join(sorted(L.PUBLIC_BODY_NOUNS, key=len, reverse=True))
ORG_HEAD_AFTER_RE = re.compile(rf"\s+({_HEADS})\b(?:\s+in\s+((?:The\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+){{0,3}}))?")


@dataclass
class Entity:
    name: str
    type: str
    strong: bool = True  # confident enough to be a pronoun's referent
    aliases: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    gender: str = ""
    last: int = -1
    spoke: bool = False
    maybe_person: bool = False  # type unknown ("Halvorsen endorsed ...", "Red Cross"): he, she or it
    title: str = ""  # the role as first printed: "Finance Minister", "Kremlin spokesman"
    spoke_seq: int = 0  # order of its latest attribution (0: never attributed)
    mentions: int = 0

    def add_alias(self, alias: str) -> None:
        alias = alias.strip(" ,.;:")
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)


SKIP = Entity("", "none")  # marker: the "speaker" is a document or not a source at all


class Registry:
    def __init__(self, *, use_model: bool = True) -> None:
        self.use_model = use_model
        self.entities: list[Entity] = []
        self.by_key: dict[str, Entity] = {}
        self.mentions: dict[int, list[tuple[int, Entity]]] = {}
        self.person_subject: set[int] = set()  # sentences opened by an unnamed person
        self.speak_seq = 0
        self.quoted: list[tuple[int, int]] = []  # the quotations' spans, in order (set by the reader)
        # training only: every pronoun decision, as (position, pronoun, [(name, features)])
        self.recorder: list[tuple[int, str, list[tuple[str, list[str]]]]] | None = None
        # training sets a list here to record each forward content span's boundaries
        self.end_recorder: list[tuple[int, int, list[tuple[int, list[str]]]]] | None = None
        self.decisions: dict[int, str] = {}  # pronoun position -> rule or model that resolved it

    def note_speaker(self, ent: Entity) -> None:
        self.speak_seq += 1
        ent.spoke = True
        ent.spoke_seq = self.speak_seq

    # -- building -------------------------------------------------------------------
    def _get(self, name: str, type_: str, strong: bool, acr: str | None = None) -> Entity:
        if name in L.COUNTRY_ACRONYMS:
            name, acr = L.COUNTRY_ACRONYMS[name], name
        key = norm(name)
        ent = self.by_key.get(key) or (self.by_key.get(acr.lower()) if acr else None)
        if ent is None and type_ == "person" and " " in key:
            # a full name whose surname is already known as a one-word speaker
            ent = self.by_key.get(key.rsplit(" ", 1)[1])
            if ent is not None and " " in norm(ent.name):
                ent = None
            if ent is not None:
                ent.add_alias(ent.name)
                ent.name, ent.type = name, "person"
        if ent is None:
            ent = Entity(name, type_, strong)
            self.entities.append(ent)
        else:
            ent.add_alias(name)
            ent.strong = ent.strong or strong
        ent.keys.add(key)
        self.by_key.setdefault(key, ent)
        words = key.split()
        if ent.type == "person" and len(words) > 1:
            # the surname; with three names also each later one ("Vázquez" of "Wanda Vázquez Garced")
            for w in words[1:] if len(words) > 2 else words[-1:]:
                if len(w) > 2:
                    self.by_key.setdefault(w, ent)
                    ent.keys.add(w)
        if ent.type == "organisation" and len(words) > 1 and name.split()[-1] in L.ORG_SUFFIXES:
            self.by_key.setdefault(words[0], ent)
        if acr:
            self.by_key.setdefault(acr.lower(), ent)
            ent.add_alias(acr)
        if not ent.gender and ent.type == "person":
            first = words[0] if words else ""
            ent.gender = "f" if first in L.FEMALE_NAMES else "m" if first in L.MALE_NAMES else ""
        return ent

    def mention_run(self, run: str, before: str, k: int, pos: int, create: bool = True) -> Entity | None:
        """Register one capitalised run seen in sentence k; return its entity."""
        name, acr = clean_run(run)
        if not name:
            return None
        kind = classify(name)
        titles: list[str] = []
        if kind == "organisation" and " of " in name and classify(name.split(" of ")[0]) == "person":
            name, kind = name.split(" of ")[0], "person"  # "Carl Jensen of the Space Agency"
        person, ptitles = split_person(name)
        if (
            kind in ("organisation", "place", "weak")
            and any(w in L.TITLE_WORDS for w in ptitles)
            and len(person.split()) >= 2
            and classify(person) in ("person", "weak")
        ):
            kind = "person"  # "US Secretary of State Ann Miller"
        if kind in ("person", "weak"):
            person, titles = split_person(name)
            if not person:
                return None
            if titles or any(w.lower() in L.PERSON_ROLE_NOUNS for w in before.split()[-3:]):
                kind = "person" if len(person.split()) > 1 or titles else kind
            name = person
            if len(name.split()) == 1:
                ent = self.by_key.get(norm(name))
                if ent is None and (titles or create):
                    ent = self._get(name, "person" if titles else "organisation", bool(titles))
            else:
                ent = self._get(name, "person", kind == "person")
                if kind != "person" and not ent.strong:
                    ent.maybe_person = True  # "Red Cross", "Peng Bo": a person or a body
        elif kind == "organisation":
            ent = self._get(name, "organisation", True, acr)
        else:
            return None
        if ent is None:
            return None
        before_words = before.split()[-4:]
        tw = {w.lower().strip(",.") for w in [*titles, *before_words]}
        ent.titles |= tw
        if ent.type == "person":
            if not ent.title:
                role = list(titles)
                if not role:
                    # "Palace spokesman Ivo Marek": the words up to the role noun
                    for i, w in enumerate(before_words):
                        if w.lower() in L.PERSON_ROLE_NOUNS:
                            role = before_words[max(0, i - 2) : i + 1]
                            break
                while role and role[0].lower() in ("by", "the", "a", "an", "of", "for", "with", "to", "from", "and"):
                    role = role[1:]
                ent.title = " ".join(role).strip(" ,")
        if not ent.gender and ent.type == "person":
            ent.gender = "f" if tw & L.FEMALE_CUES else "m" if tw & L.MALE_CUES else ""
        ent.last = pos
        ent.mentions += 1
        self.mentions.setdefault(k, []).append((pos, ent))
        return ent

    def observe(self, text: str, k: int, start: int, end: int) -> None:
        if PERSON_DESCRIPTION_RE.match(text, start, end):
            self.person_subject.add(k)
        for m in RUN_RE.finditer(text, start, end):
            if m.group(0) in LEADING_STOP:
                continue  # "The", "However": a capital that only opens a sentence
            seg_start = max(start, m.start() - 60)
            for p in CLAUSE_PUNCT_RE.finditer(text, max(start, m.start() - 60), m.start()):
                seg_start = p.end()
            before = text[seg_start : m.start()]
            run = m.group(0)
            if " and " in run and classify(clean_run(run)[0]) != "organisation":
                # "John Smith and Maria Lopez": two people, not one name
                first, _, second = run.partition(" and ")
                self.mention_run(first, before, k, m.start(), create=False)
                ent = self.mention_run(second, "", k, m.start() + len(first) + 5, create=False)
            else:
                ent = self.mention_run(run, before, k, m.start(), create=False)
            if (
                ent is not None
                and not ent.strong
                and ent.type == "person"
                and SUBJECT_VERB_RE.match(text, m.end(), end)
            ):
                ent.strong = True  # "Jens Holm arrived ...": a two-word name acting is a person
            if ent is None and " " not in run.strip() and SUBJECT_VERB_RE.match(text, m.end(), end):
                name = clean_run(run)[0]
                if name and classify(name) == "weak" and name.lower() not in L.ANONYMOUS_HEADS:
                    ent = self._get(name, "organisation", False)
                    ent.maybe_person = True
                    ent.last = m.start()
                    ent.mentions += 1
                    self.mentions.setdefault(k, []).append((m.start(), ent))
            h = ORG_HEAD_AFTER_RE.match(text, m.end(), end)
            if h and (ent is None or ent.type != "person" or not ent.strong):
                run = clean_run(run.rpartition(" and ")[2])[0]
                if run and "-based" not in run:
                    name = f"{run} {h.group(1)}" + (f" in {h.group(2)}" if h.group(2) else "")
                    org = self._get(name, "organisation", True)
                    org.last = m.start()
                    org.mentions += 1
                    self.mentions.setdefault(k, []).append((m.start(), org))

    # -- resolution -----------------------------------------------------------------
    def resolve_pronoun(self, pron: str, pos: int, k: int) -> Entity | None:
        """The person (he, she) or organisation (it) a pronoun refers to.

        With the shipped model, every person or organisation mentioned in this and the
        five previous sentences is a candidate, scored by the ``pronoun`` decision over
        generic features (distance, subject position, who spoke last, gender agreement,
        what the hand rule would pick); the best candidate wins if likely enough.
        """
        p = pron.lower()
        if p in ("they", "we", "i"):
            return None
        rule = self._rule_pronoun(p, pos, k)
        # "it" stays with the rule: the training corpus resolves persons' pronouns
        model = M.decision("pronoun") if self.use_model and p != "it" else None
        if model is None and (self.recorder is None or p == "it"):
            self.decisions[pos] = "pronoun-rule"
            return rule
        cands = self.pronoun_candidates(p, pos, k, rule)
        if self.recorder is not None:
            self.recorder.append((pos, p, [(e.name, f) for e, f in cands]))
        if model is None or not cands:
            self.decisions[pos] = "pronoun-rule"
            return rule
        best, best_p = None, PRONOUN_MIN
        for ent, feats in cands:
            prob = model.probability(feats)
            if prob > best_p:
                best, best_p = ent, prob
        self.decisions[pos] = "pronoun-model"
        return self._bind(best, L.PRONOUNS_PERSON.get(p, "")) if best is not None else None

    def pronoun_candidates(self, p: str, pos: int, k: int, rule: Entity | None) -> list[tuple[Entity, list[str]]]:
        """Earlier persons and organisations a pronoun may refer to, with their features."""
        gender = L.PRONOUNS_PERSON.get(p, "")
        found: dict[int, list] = {}  # id(entity) -> [entity, distance, subject, mentions in window]
        order: list[Entity] = []
        for kk in range(k, max(-1, k - PRONOUN_WINDOW - 1), -1):
            ms = self.mentions.get(kk, [])
            if kk == k:
                ms = [m for m in ms if m[0] < pos]
            for i, (_, ent) in enumerate(reversed(ms)):
                if ent is SKIP or ent.type == "none":
                    continue
                rec = found.get(id(ent))
                in_quote = self._in_quotation(ms[len(ms) - 1 - i][0])
                if rec is None:
                    rec = found[id(ent)] = [ent, k - kk, False, 0, in_quote, True]
                    order.append(ent)
                rec[3] += 1
                rec[5] = rec[5] and in_quote
                if i == len(ms) - 1:
                    rec[2] = True
            if kk in self.person_subject and kk < k:
                break  # "One of the victims ... She said": an unnamed person, not further back
            if len(order) >= PRONOUN_CANDIDATES:
                break
        spoken = sorted((e for e in order if e.spoke_seq), key=lambda e: -e.spoke_seq)
        srank = {id(e): i for i, e in enumerate(spoken)}
        out = []
        for rank, ent in enumerate(order[:PRONOUN_CANDIDATES]):
            _, dist, subj, count, quoted, only_quoted = found[id(ent)]
            kind = "maybe" if ent.maybe_person else ent.type
            g = "unk" if not gender or not ent.gender else "match" if ent.gender == gender else "clash"
            sr = srank.get(id(ent))
            f = [
                f"dist={min(dist, 5)}",
                f"rank={min(rank, 5)}",
                f"subj={subj}",
                f"count={min(count, 4)}",
                f"total={min(ent.mentions, 6)}",
                f"srank={'none' if sr is None else min(sr, 3)}",
                f"type={kind}",
                f"strong={ent.strong}",
                f"rule={ent is rule}",
                f"title={bool(ent.title)}",
                f"pron={p}&type={kind}",
                f"pron={p}&gender={g}",
                f"dist={min(dist, 5)}&subj={subj}",
                f"srank={'none' if sr is None else min(sr, 3)}&dist={min(dist, 5)}",
                f"rank={min(rank, 5)}&type={kind}",
                f"type={kind}&subj={subj}&dist={min(dist, 2)}",
                f"rule={ent is rule}&type={kind}",
                f"words={min(len(ent.name.split()), 3)}&type={kind}",
                f"pron={p}&srank={'none' if sr is None else min(sr, 3)}",
                f"named_gender={ent.name.split()[0].lower() in NAMED_FIRST}&pron={p}",
                f"last={pos - ent.last < PRONOUN_NEAR}&type={kind}",
                f"quoted={quoted}",
                f"only_quoted={only_quoted}&spoke={sr is not None}",
                f"quoted={quoted}&dist={min(dist, 2)}",
            ]
            out.append((ent, f))
        return out

    def _in_quotation(self, pos: int) -> bool:
        i = bisect_right(self.quoted, (pos, len(self.quoted) and 1 << 62)) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def _rule_pronoun(self, p: str, pos: int, k: int) -> Entity | None:
        """The hand rule: the latest fitting mention in this sentence, else the subject or
        latest fitting entity of the three sentences before."""
        want = "organisation" if p == "it" else "person"
        gender = L.PRONOUNS_PERSON.get(p, "")

        def ok(e: Entity, subject: bool) -> bool:
            if e.maybe_person and e.type == "organisation":
                if not subject:
                    return False
            elif e.type != want or not (e.strong or e.spoke):
                return False
            return not (gender and e.gender and e.gender != gender)

        here = self.mentions.get(k, [])[-RECENT_MENTIONS:]
        for i, (pos_e, ent) in enumerate(reversed(here)):
            if pos_e < pos and ok(ent, i == len(here) - 1):
                return self._bind(ent, gender)
        for kk in range(k - 1, max(-1, k - 4), -1):
            for i, (_, ent) in enumerate(self.mentions.get(kk, [])[:RECENT_MENTIONS]):
                if ok(ent, i == 0):
                    return self._bind(ent, gender)
            if kk in self.person_subject:
                return None  # "One of the victims ... She said": an unnamed person
        return None

    @staticmethod
    def _bind(ent: Entity, gender: str) -> Entity:
        if gender and not ent.gender:
            ent.gender = gender
        return ent

    def resolve_description(self, words: list[str]) -> Entity | None:
        head = words[-1].lower()
        recent = self.entities[-RECENT:]
        if head in L.ORG_HEAD_NOUNS or head in ("agency", "tribunal", "court"):
            cands = [
                e for e in recent if e.type == "organisation" and (head in norm(e.name).split() or head in e.titles)
            ]
            if not cands and head in L.COMPANY_NOUNS:
                # "the company", "the firm": the organisation last speaking, else last seen
                cands = [e for e in recent if (e.type == "organisation" or e.maybe_person) and e.spoke] or [
                    e for e in recent if e.type == "organisation" and e.strong
                ]
        else:
            cands = [e for e in recent if e.type == "person" and head in e.titles]
            if not cands and head in L.PERSON_ROLE_NOUNS:
                cands = [e for e in recent if e.type == "person" and e.spoke] or [
                    e for e in recent if e.type == "person" and e.strong
                ]
        if not cands:
            return None
        return max(cands, key=lambda e: e.last)

    def resolve(self, np: str, pos: int, k: int) -> Entity | None:
        """The entity an attribution phrase names; None when anonymous; SKIP when the
        phrase is a document ("reports") rather than a source."""
        np = np.strip(" ,.;:\"“”'’")
        if not np:
            return None
        low = np.lower()
        if low in L.PRONOUNS_PERSON or low == "it":
            return self.resolve_pronoun(low, pos, k)
        if FULLNAME_RE.fullmatch(np) and " " in np.strip():
            ent = self.mention_run(np, "", k, pos, create=True)
            if ent is not None:
                return ent
        if "," in np:
            parts = [p.strip() for p in np.split(",") if p.strip()]
            named = [
                p
                for p in parts
                if FULLNAME_RE.fullmatch(p) and classify(split_person(clean_run(p)[0])[0]) in ("person", "weak")
            ]
            np = named[0] if named else parts[0]
            low = np.lower()
        m = SPOKES_FOR_RE.match(np) or STATEMENT_FROM_RE.match(np)
        if m:
            return self.resolve(m.group("org"), pos, k) or None
        words = np.split()
        if not words:
            return None
        head = words[-1].lower().strip("’'")
        if head in L.ANONYMOUS_HEADS and all(
            w.lower() in L.ANONYMOUS_HEADS or w.lower() in L.VAGUE_MODIFIERS for w in words
        ):
            return None  # "officials", "some witnesses", "senior government officials"
        runs = list(RUN_RE.finditer(np))
        runs = [
            r
            for r in runs
            if clean_run(r.group(0))[0]
            and not (r.start() == 0 and " " not in r.group(0) and r.group(0).endswith("ing"))
        ]  # not "Calling" in "Calling it a disgrace, the minister said"
        if head in L.DOCUMENT_HEADS:
            return SKIP
        if runs:
            r = runs[-1]
            if len(runs) > 1:
                prev = runs[-2]
                between = np[prev.end() : r.start()].strip()
                if classify(clean_run(r.group(0))[0]) == "place" or (
                    between in ("in", "at", "from") and classify(clean_run(prev.group(0))[0]) == "organisation"
                ):
                    r = prev  # "The Green Party in Tilburg"
            tail = np[r.end() :].split()
            run_text = clean_run(r.group(0))[0]
            if tail:
                thead = tail[-1].lower()
                if POSSESSIVE_RE.search(run_text) and thead in L.PERSON_ROLE_NOUNS:
                    owner = POSSESSIVE_RE.sub("", run_text)
                    return self._get(owner, "organisation", True)
                if thead in L.ORG_HEAD_NOUNS and len(tail) <= 2:
                    name = f"{run_text} {tail[-1]}"
                    return self._get(name, "organisation", True)
                if thead in SPOKESPERSON and len(tail) == 1:
                    # "a Woolworths spokesperson": the organisation speaks
                    return self._get(POSSESSIVE_RE.sub("", run_text), "organisation", True)
                if thead in L.ANONYMOUS_HEADS and len(tail) == 1:
                    return self._get(f"{run_text} {tail[0]}", "organisation", True)
                if thead in L.PERSON_ROLE_NOUNS or thead in L.ANONYMOUS_HEADS:
                    if is_acronym(run_text) or classify(run_text) == "organisation":
                        return self._get(run_text, "organisation", True)
            if tail and classify(run_text) == "place":
                return self.resolve_description(tail)
            if all(w in L.TITLE_WORDS for w in run_text.split()):
                return self.resolve_description(run_text.split())
            before = np[: r.start()]
            return self.mention_run(r.group(0), before, k, pos, create=True)
        first = words[0].lower()
        if first not in ("the", "this", "that") and " the " in f" {low} ":
            words = words[len(low[: low.rfind("the ")].split()) :]  # "A week later the ministry"
            first = "the"
        if first in ("a", "an", "one", "some", "two", "several", "many", "unnamed"):
            return None
        if first in ("the", "this", "that") and len(words) > 1:
            ent = self.resolve_description(words[1:])
            if ent is None and len(words) >= 3 and head in L.BODY_HEADS:
                # "the national weather service": a body described, not named, but a body
                ent = self._get(" ".join(words[1:]), "organisation", True)
            return ent
        return None

    def speakers(self, used: set[int]) -> list[Speaker]:
        out = []
        for ent in self.entities:
            if id(ent) in used and is_speaker_name(ent.name):
                aliases = [a for a in ent.aliases if norm(a) != norm(ent.name) and is_speaker_name(a)]
                title, organisation = split_title(ent.title[:120])
                out.append(Speaker(ent.name, aliases, ent.type, title[:80], organisation[:80]))
        return out


def split_title(title: str) -> tuple[str, str]:
    """("NATO Secretary General") -> ("Secretary General", "NATO"): the leading words that
    are a body's name (not title words) are the organisation, the rest the role."""
    words = title.split()
    i = 0
    while (
        i < len(words)
        and words[i][:1].isupper()
        and words[i].strip(".,") not in L.TITLE_WORDS
        and (words[i].strip(".,").lower() not in L.PERSON_ROLE_NOUNS)
    ):
        i += 1
    org = POSSESSIVE_RE.sub("", " ".join(words[:i]))
    if org and (classify(org) == "place" or org.replace(".", "") in L.COUNTRY_ACRONYMS):
        return title, ""  # "U.S. Attorney": a jurisdiction, part of the title
    return " ".join(words[i:]) if i < len(words) else title, org


def is_speaker_name(name: str) -> bool:
    """Not a dateline ("WASHINGTON"), a month, a weekday or a common capitalised word."""
    words = name.split()
    if not words:
        return False
    if len(words) == 1:
        w = words[0]
        if w.isupper() and len(w) > 5:
            return False  # a shouted dateline; acronyms of bodies are shorter
        if w in NOT_NAMES or w in LEADING_STOP:
            return False
    return not all(w in NOT_NAMES or w in LEADING_STOP for w in words)
