"""Which earlier person or organisation a pronoun means: the learned ``pronoun`` decision
over every candidate of the last sentences, or the hand rule without a model."""

from __future__ import annotations

import re
from bisect import bisect_right

from . import lexicon as L
from . import model as M
from .entities import (
    NAMED_FIRST,
    PRONOUN_CANDIDATES,
    PRONOUN_MIN,
    PRONOUN_NEAR,
    PRONOUN_WINDOW,
    RECENT_MENTIONS,
    SKIP,
    SUBJECT_VERB_RE,
    Entity,
    RegistryBase,
)
from .names import RUN_RE

# The word before a mention that makes it an object: a preposition or a verb.
OBJECT_BEFORE = frozenset(
    """of to with by for against about on at from into than over behind like toward towards
    and criticized criticised attacked praised thanked defeated beat met called named asked
    told endorsed supports support backs back joined replaced""".split()
)
PREVIOUS_WORD_RE = re.compile(r"\b([a-z]+)\s+$")


class PronounResolver(RegistryBase):
    """Resolves "he", "she" and "it" against the entities registered so far."""

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
                    mpos = ms[len(ms) - 1 - i][0]
                    rec = found[id(ent)] = [ent, k - kk, False, 0, in_quote, True, self._role(mpos, pos)]
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
            _, dist, subj, count, quoted, only_quoted, role = found[id(ent)]
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
                f"role={role}",
                f"role={role}&pron={p}&gender={g}",
            ]
            out.append((ent, f))
        return out

    def _role(self, mention: int, pronoun: int) -> str:
        """How the latest mention stands: after a preposition or a verb (an object: "had
        not criticised Ann Lee"), before a verb (a subject), else neither; and whether a
        paragraph break lies between it and the pronoun."""
        t = self.text
        para = "same" if t.find("\n", mention, pronoun) < 0 else "before"
        before = PREVIOUS_WORD_RE.search(t, max(0, mention - 24), mention)
        if before is not None and (before.group(1) in OBJECT_BEFORE or before.group(1).endswith("ed")):
            return f"object/{para}"
        run = RUN_RE.match(t, mention)
        if run is not None and SUBJECT_VERB_RE.match(t, run.end()):
            return f"subject/{para}"
        return f"other/{para}"

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
