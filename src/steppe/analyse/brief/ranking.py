"""Scoring sentences for a brief: tokens, BM25 and TF-IDF, maximal marginal relevance,
claim and stance cues. Hand-written because the collection is a few hundred sentences per
brief and the scores must be explainable in a test."""

from __future__ import annotations

import math
import re
from collections import Counter

MMR_LAMBDA = 0.7
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP_WORDS = """a an the and or but of to in on at by for with from as is are was were be been being
has have had it its this that these those their there they them he she his her we our you your i
not no so if than then into over under about after before between during what which who whom whose
how why when where will would can could should may might must do does did more most less such also
any all each other some only very just own same s t"""
_STOP = set(_STOP_WORDS.split())


def tokens(text: str) -> list[str]:
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w not in _STOP and len(w) > 1]


class Bm25:
    """Okapi BM25 over a small collection (the candidate sentences), plus TF-IDF vectors for MMR."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs, self.k1, self.b = docs, k1, b
        self.n = len(docs)
        self.avgdl = sum(map(len, docs)) / max(1, self.n)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        self.idf = {w: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for w, f in df.items()}

    def score(self, query: list[str], i: int) -> float:
        doc = self.docs[i]
        tf = Counter(doc)
        norm = self.k1 * (1 - self.b + self.b * len(doc) / max(self.avgdl, 1e-9))
        return sum(self.idf.get(w, 0.0) * tf[w] * (self.k1 + 1) / (tf[w] + norm)
                   for w in set(query) if w in tf)

    def vector(self, i: int) -> dict[str, float]:
        tf = Counter(self.docs[i])
        vec = {w: (1 + math.log(c)) * self.idf.get(w, 0.0) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def mmr(candidates: list[int], relevance: dict[int, float], vectors: dict[int, dict[str, float]],
        k: int, lam: float = MMR_LAMBDA, group: dict[int, str] | None = None) -> list[int]:
    """Maximal marginal relevance: each pick trades relevance against likeness to earlier picks.

    ``group`` (an item id per sentence) adds a small penalty for a second
    sentence from the same item, so sources are spread too.
    """
    chosen: list[int] = []
    pool = list(candidates)
    top = max((relevance[i] for i in pool), default=1.0) or 1.0
    while pool and len(chosen) < k:
        def gain(i: int) -> float:
            sim = max((cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
            same = group is not None and any(group[i] == group[j] for j in chosen)
            return lam * relevance[i] / top - (1 - lam) * sim - (0.15 if same else 0.0)
        best = max(pool, key=lambda i: (gain(i), -i))
        chosen.append(best)
        pool.remove(best)
    return chosen


# Assessments and claims, rather than reports of fact: the argument of a source.
CLAIM = re.compile(r"\b(will|would|could|may|might|must|should|unlikely|likely|risks?|"
                    r"hopes?|fears?|argues?|suggests?|means|indicates?|shows?|shown|demonstrat\w*|"
                    r"evidence|reality|increasingly|despite|yet|however|nonetheless|whereas)\b", re.I)
BOILERPLATE = re.compile(r"cookies|privacy policy|click here|subscribe|sign up|newsletter|"
                          r"all rights reserved|continue reading|printable version|inbox", re.I)
# Stance on a relationship: is it tightening or loosening? General vocabulary, each cue a regex.
_TIGHTER = [r"deepen\w*", r"grow\w* closer", r"(ties|cooperation|partnership|relations)\b[^.]{0,30}"
            r"\b(grown|grow|increas\w*|expand\w*|deepen\w*|strengthen\w*)", r"influence\b[^.]{0,20}"
            r"\bincreas\w*", r"loyal\w*", r"all(y|ies)\b", r"pro-russian", r"propp\w* up",
            r"interdependen\w*", r"dependen\w*", r"reliant", r"rely on", r"resilient",
            r"bolster\w*", r"stronger\b[^.]{0,20}\bties", r"integrat\w*", r"closer cooperation",
            r"gravitate toward"]
_LOOSER = [r"distanc\w*", r"decoupl\w*", r"pivot\w*", r"snubs?", r"fissures?", r"clean break",
           r"break with", r"rift", r"drift\w* apart", r"independen\w*", r"diversif\w*",
           r"dissipat\w*", r"decline", r"damag\w* ties", r"unreliable", r"resentment",
           r"friction", r"emboldened", r"less dependent", r"vassal", r"sovereign\w*"]
# A cue after these reads the other way: "no longer reliant", "risks the independence".
_NEGATOR = re.compile(r"\b(not|no|never|no longer|unlikely to|hardly|less|without|refus\w*|"
                      r"cannot|can't|won't|risks?|threat\w*|undermin\w*|los\w+|erod\w*)\b(\W+\w+){0,3}\W*$", re.I)
_TIGHT_RE = [re.compile(rf"\b{p}\b", re.I) for p in _TIGHTER]
_LOOSE_RE = [re.compile(rf"\b{p}\b", re.I) for p in _LOOSER]


def stance(sentence: str) -> tuple[int, list[str]]:
    """+1 when cues say ties are tightening, -1 loosening; a negation just before a cue flips it."""
    total, cues = 0, []
    taken: list[tuple[int, int]] = []
    for sign, patterns in ((-1, _LOOSE_RE), (1, _TIGHT_RE)):
        for pattern in patterns:
            for m in pattern.finditer(sentence):
                if any(s <= m.start() < e for s, e in taken):
                    continue  # "less dependent" is one cue, not also "dependent"
                taken.append((m.start(), m.end()))
                flip = -1 if _NEGATOR.search(sentence[max(0, m.start() - 40):m.start()]) else 1
                total += sign * flip
                cues.append(("not " if flip < 0 else "") + m.group(0).lower())
    return (1 if total > 0 else -1 if total < 0 else 0), cues
