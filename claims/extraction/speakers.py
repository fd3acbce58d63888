"""Who speaks: name mentions, titles, aliases, and resolution of pronouns and descriptions.

The registry is fed sentence by sentence, in order, so "he" and "the official" resolve
against what the reader has seen so far: the subject of a recent sentence first, then the
most recent matching person or organisation.
"""

from __future__ import annotations

import re

from . import lexicon as L
from .entities import RECENT, SKIP, SPOKES_FOR_RE, SPOKESPERSON, STATEMENT_FROM_RE, Entity
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
from .pronouns import PronounResolver

__all__ = ["SKIP", "Entity", "Registry", "is_speaker_name", "split_title"]


PLACE_LINK_RE = re.compile(r" (?:in|at) [A-Z]")
# A bracketed aside closing a source phrase: a party and state, an age, an affiliation.
TRAILING_ASIDE_RE = re.compile(r"\s*\([^()]{1,40}\)$")


# What speaks for the person whose it is: "Ann Lee's office", "her campaign's spokesman".
SPEAKS_FOR = SPOKESPERSON | {"office", "campaign"}
# A role noun and the place or body it is of, closing the words before a name: "the mayor
# of ", "the chief executive of the ".
ROLE_OF_RE = re.compile(r"(?:^|\s)([a-z-]+)\s+(?:of|for|at)\s+(?:the\s+)?$")


# "<who> in <where>": "Health officials in Ohio", "officials in the city of Brannock"
IN_PLACE_RE = re.compile(
    r"^(.+?)\s+(?:in|from|at)\s+(?:the\s+)?(?:(?:city|town|village|county|state|province|region|district)\s+of\s+)?"
    r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)$"
)


class Registry(PronounResolver):
    """Resolves attribution phrases (names, pronouns, descriptions) to speakers."""

    def _document_source(self, runs: list[re.Match[str]]) -> Entity | None:
        """Who speaks through a document: "a Senate Budget Committee report" is the committee's;
        "the report", "a 2019 study" speak for nobody known, but still attribute."""
        if not runs:
            return None
        name = clean_run(runs[-1].group(0))[0]
        if is_acronym(name) or classify(name) in ("organisation", "weak"):
            return self._get(name, "organisation", True)  # "a new Harbor poll": the pollster's
        return None

    def _body_named_after(self, parts: list[str]) -> Entity | None:
        """The organisation a source phrase names after describing it: "The pilots' union,
        PAU,", "A spokesman for the contractor, Velde Rail,"; None when it names none."""
        opening = parts[0].lower().split()
        described = opening[0] in ("the", "a", "an") and POSSESSIVE_RE.sub("", opening[-1]) in L.ORG_HEAD_NOUNS
        if not (described or SPOKES_FOR_RE.match(parts[0])):
            return None
        for part in parts[1:]:
            if FULLNAME_RE.fullmatch(part) and classify(clean_run(part)[0]) == "organisation":
                return self._get(clean_run(part)[0], "organisation", True)
        return None

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
            if head in L.PARTY_MEMBERS:
                # "the Ohio Democrat": only someone the article has placed there ("Ohio Sen. ...")
                where = {w.lower() for w in words[:-1]}
                cands = [e for e in recent if e.type == "person" and where and where <= e.titles]
            elif not cands and head in L.PERSON_ROLE_NOUNS and not any(POSSESSIVE_RE.search(w) for w in words):
                # "the minister": whoever last spoke; "the shop's owner" is someone else;
                # after "an airport official said", "the official" is that unnamed one
                cands = [e for e in recent if e.type == "person" and e.spoke] or [
                    e for e in recent if e.type == "person" and e.strong
                ]
                cands = [e for e in cands if e.last > self.unnamed_at.get(head, -1)]
        if not cands:
            return None
        return max(cands, key=lambda e: e.last)

    def _holder(self, role: str, of: str) -> Entity | None:
        """The person last seen holding `role` of `of`: "Ruth Okafor, the mayor of
        Lindenfeld" or "Lindenfeld Mayor Ruth Okafor" for "the mayor of Lindenfeld"."""
        where = set(norm(of).split())
        cands = [e for e in self.entities[-RECENT:] if e.type == "person" and role in e.titles and where <= e.titles]
        return max(cands, key=lambda e: e.last) if cands else None

    def resolve(self, np: str, pos: int, k: int) -> Entity | None:
        """The entity an attribution phrase names; None when anonymous; SKIP when the
        phrase is a document ("reports") rather than a source."""
        np = np.strip(" ,.;:\"“”'’")
        np = TRAILING_ASIDE_RE.sub("", np) or np  # "Sen. Ann Lee (D-Ohio)": the name, not the aside
        if not np:
            return None
        low = np.lower()
        if low in L.PRONOUNS_PERSON or low == "it":
            return self.resolve_pronoun(low, pos, k)
        # "The Green Party in Tilburg": a body and where it is, read by the runs below
        if (
            FULLNAME_RE.fullmatch(np)
            and " " in np.strip()
            and not PLACE_LINK_RE.search(np)
            and not any(w in L.PERSON_ROLE_NOUNS for w in np.split() if w.islower())  # "United boss Erik Sorensen"
        ):
            lead = "the" if low.startswith("the ") else ""  # "the Ohio Democrat" is described
            ent = self.mention_run(np, lead, k, pos, create=True)
            if ent is not None:
                return ent
        if "," in np:
            parts = [p.strip() for p in np.split(",") if p.strip()]
            named = [
                p
                for p in parts
                if FULLNAME_RE.fullmatch(p)
                and classify(split_person(clean_run(p.split(" of ")[0])[0])[0]) in ("person", "weak")
            ]  # "Another pollster, David Woodard of Clemson University"
            if not named and (body := self._body_named_after(parts)) is not None:
                return body
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
        noun = next((i for i, w in enumerate(words) if w.lower() not in L.VAGUE_MODIFIERS), 0)
        if words[noun].lower() in L.ANONYMOUS_HEADS and not any(w[:1].isupper() for w in words[noun + 1 :]):
            return None  # "Residents near the plant", "Workers at the site": unnamed, where they are
        where = IN_PLACE_RE.search(np)
        if (
            where
            and where.group(1).split()[-1].lower() in L.ANONYMOUS_HEADS
            and classify(where.group(2)) in ("place", "weak")
        ):
            return None  # "Health officials in Ohio": unnamed, wherever they are ("at Mercy Hospital": its)
        runs = list(RUN_RE.finditer(np))
        runs = [
            r
            for r in runs
            if clean_run(r.group(0))[0]
            and not (
                r.start() == 0
                and " " not in r.group(0)
                and r.group(0).endswith("ing")
                and norm(clean_run(r.group(0))[0]) not in self.by_key
            )
        ]  # not "Calling" in "Calling it a disgrace, the minister said"; but "Ebeling" once known
        if len(words) == 1 and np in L.PLACES:
            return self._get(np, "organisation", True)  # "Israel said": its government speaks
        if head in L.DOCUMENT_HEADS and words[-1][:1].islower():
            return self._document_source(runs)  # not "... School of Law": a name ends there
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
                if POSSESSIVE_RE.search(r.group(0)) and thead in SPEAKS_FOR and len(tail) == 1:
                    # "Senator Ann Lee's office", "Lee's campaign": the office speaks for her
                    person = self.mention_run(run_text, "", k, pos, create=True)
                    if person is not None and person.type == "person":
                        return person
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
            if words[0].lower() == "the" and run_text.split()[-1].lower() in L.PARTY_MEMBERS:
                return self.resolve_description(run_text.split())  # "the Ohio Democrat": a person described
            if all(w in L.TITLE_WORDS for w in run_text.split()):
                return self.resolve_description(run_text.split())
            before = np[: r.start()]
            role = ROLE_OF_RE.search(before)
            office = role.group(1) if role is not None else ""
            if office in L.PERSON_ROLE_NOUNS and office not in SPOKESPERSON:
                # "the mayor of Lindenfeld": the person holding that office, not the town
                holder = self._holder(office, run_text)
                if holder is not None or (office in L.PLACE_OFFICES and classify(run_text) != "organisation"):
                    return holder
            return self.mention_run(r.group(0), before, k, pos, create=True)
        first = words[0].lower()
        if first not in ("the", "this", "that") and " the " in f" {low} ":
            words = words[len(low[: low.rfind("the ")].split()) :]  # "A week later the ministry"
            first = "the"
        if first in ("a", "an", "one", "some", "two", "several", "many", "unnamed"):
            self.unnamed_at[head] = pos
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
