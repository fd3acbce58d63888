"""Names seen in an article: each person or organisation once, with its aliases, titles
and mentions sentence by sentence, as the registry that resolves speakers builds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as L
from .names import (
    LEADING_STOP,
    POSSESSIVE_RE,
    RUN_RE,
    classify,
    clean_run,
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
# A role set off by commas after a name: ", the Ukrainian president,"
APPOSITION_ROLE_RE = re.compile(r",\s+(?:the|a|an)\s+((?:[\w’'-]+\s+){0,5}[\w’'-]+)\s*[,.]")
# A role set off before a name: "The company's chief executive, Amanda Bardwell, ..."
ROLE_BEFORE_NAME_RE = re.compile(
    r"(?:\b[Tt]he|\b[Aa]n?|\b(?:[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)|[\w’']+['’]s)\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+),\s+$"
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


def _person_of(head: str) -> bool:
    """Is ``head``, before "of" in a capitalised run, a person ("Carl Jensen", "Prof. Ann
    Lee", not "Bank" or "Secretary")?"""
    if classify(head) == "person":
        return True
    person, titles = split_person(head)
    return (
        bool(titles)
        and all(w.rstrip(".") in L.TITLE_WORDS or w in L.HONORIFICS for w in titles)
        and len(person.split()) >= 2
        and classify(person) in ("person", "weak")
    )


class RegistryBase:
    """The article's entities and their mentions, registered sentence by sentence."""

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
        # where an unnamed source was last given, by its head noun ("an airport official"):
        # a later "the official" is that one, not the person who spoke before it
        self.unnamed_at: dict[str, int] = {}
        self.text = ""  # the article, once the first sentence is observed

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
        if name.split()[-1].lower() in L.PARTY_MEMBERS and before.rstrip().lower().endswith(("the", "a", "an")):
            return None  # "the Ohio Democrat": a person described, not named
        kind = classify(name)
        titles: list[str] = []
        known = self.by_key.get(norm(name)) if " " not in name else None
        if known is not None and known.type == "person" and " " in known.name:
            kind = "known"  # "Cuban" after "Mark Cuban": his surname, not a nationality
        head = name.split(" of ")[0]
        if (
            kind == "organisation"
            and " of " in name
            and (
                _person_of(head)
                or len(head.split()) == 2
                and classify(head) == "weak"
                and any(w.lower() in L.PERSON_ROLE_NOUNS for w in before.split()[-2:])
            )
        ):
            name, kind = head, "person"  # "(Prof.) Carl Jensen of the Space Agency", "economist Jo Lind of Nordbank"
        person, ptitles = split_person(name)
        if (
            kind in ("organisation", "place", "weak")
            and any(w in L.TITLE_WORDS or w.rstrip(".") in L.TITLE_WORDS for w in ptitles)
            and len(person.split()) >= 2
            and classify(person) in ("person", "weak")
        ):
            kind = "person"  # "US Secretary of State Ann Miller"
        if kind in ("person", "weak"):
            person, titles = split_person(name)
            if not person:
                return None
            if titles and " " not in person and all(w in L.DEPARTMENT_WORDS for w in titles):
                person, titles = name, []  # "Federal Reserve", "State Farm": no title, one name
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
        elif kind == "known":
            ent = known
        else:
            return None
        if ent is None:
            return None
        before_words = before.split()[-4:]
        tw = {w.lower().strip(",.") for w in [*titles, *before_words]}
        tw |= {L.TITLE_ABBREVIATIONS[w] for w in tw if w in L.TITLE_ABBREVIATIONS}  # "Sen." is a senator
        ent.titles |= tw
        if ent.type == "person":
            if not ent.title:
                role = list(titles)
                if not role:
                    # "Palace spokesman Ivo Marek": the words up to the last role noun
                    # ("Chief executive Elon Musk")
                    for i in range(len(before_words) - 1, -1, -1):
                        if before_words[i].lower() in L.PERSON_ROLE_NOUNS:
                            j = i
                            while j > max(0, i - 2) and (
                                before_words[j - 1][:1].isupper()
                                or before_words[j - 1].lower() in L.PERSON_ROLE_NOUNS
                                or before_words[j - 1].lower() in L.ROLE_MODIFIERS
                            ):
                                j -= 1  # "Palace spokesman", not "met Palace spokesman"
                            role = [w for w in before_words[j : i + 1] if any(c.isalpha() for c in w)]
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
        self.text = text
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
            if ent is not None and ent.type == "person":
                role = APPOSITION_ROLE_RE.match(text, m.end(), end) or ROLE_BEFORE_NAME_RE.search(
                    text, max(start, m.start() - 60), m.start()
                )
                words = role.group(1).split() if role is not None else []
                while any(POSSESSIVE_RE.search(w) for w in words[:-1]):
                    words = words[1:]  # "the company's chief executive": the role, not whose
                if words and " ".join(words).split(" of ")[0].split()[-1].lower() in L.PERSON_ROLE_NOUNS:
                    # "Dmytro Kovalenko, the Ukrainian president, ...": later "the president"
                    ent.titles |= {w.lower() for w in words}
                    if not ent.title or ent.title in L.HONORIFICS:
                        ent.title = " ".join(words)  # "Dr. Amara Okonkwo, the medical director": her role
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
