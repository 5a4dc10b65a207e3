"""Briefs: an extractive, fully cited answer an analyst can hand on.

``build_brief(store, actors=["KAZ", "RUS"], since="2023-01")`` assembles, from
the evidence base only:

1. key events (from the event store), most salient first: salience is
   |intensity| plus the number of independent sources (distinct publishers
   reporting the same type of event between the same actors on the same date),
   plus a bonus when the event joins all the actors asked about;
2. the relation curve of the first two actors (``relation_series``) as data,
   drawn by the renderers as an inline SVG bar chart;
3. what the sources argue: sentences taken verbatim from items, grouped by
   theme (``steppe.analyse.themes``), chosen by relevance (BM25 against the
   question, mentions of the actors, assessment cues such as "will", "risks",
   "unlikely") and diversity (maximal marginal relevance over TF-IDF vectors);
   plus disagreements side by side: sentences whose stance cues say the
   relationship is loosening ("distancing", "decoupling", "fissures") against
   sentences that say it is tightening ("deepened", "ally", "loyalty");
4. the sources, numbered, with counts by publisher.

Nothing is written by Steppe except headings and labels: every sentence of
the brief is an extract with a citation ``[n]`` (an item: publisher, title,
date, URL) and its evidence span (item id and [start, end) offsets into the
item text, and where known the same span on the page it was read from).

Optional polishing (``polish``) sends the extracts to an OpenAI-compatible
chat endpoint (``STEPPE_LLM_URL``; off unless set) and keeps the generated
summary only when every generated sentence cites extracts it was given;
otherwise it raises :class:`PolishRefused`.

Renderers: :func:`to_markdown`, :func:`to_html` (self-contained, chart inline),
:func:`to_pdf` (the HTML through WeasyPrint, which needs only the Pango
library that Debian ships), :meth:`Brief.to_dict` for the API.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from steppe.analyse.common import (
    InvalidParameter,
    actor_label,
    check_date,
    kb_actor,
    resolve_actor,
    until_bound,
)
from steppe.analyse.themes import classify, theme_labels


def marks(values: list[str]) -> tuple[str, tuple[str, ...]]:
    """``(?,?,...)`` and its parameters for ``IN``: plain placeholders work on every backend."""
    values = list(dict.fromkeys(values))
    return ("(" + ",".join("?" * len(values)) + ")", tuple(values)) if values else ("(NULL)", ())


MAX_EVENTS = 12
PER_THEME = 3
MAX_DISAGREEMENTS = 3
MMR_LAMBDA = 0.7
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# ---------------------------------------------------------------- data


@dataclass
class Source:
    """A numbered reference: the item an extract comes from."""

    n: int
    item_id: str
    publisher: str | None
    title: str | None
    date: str | None
    url: str | None
    kind: str | None = None
    page: str | None = None  # where Steppe read it (path or URL)
    page_id: int | None = None


@dataclass
class Extract:
    """A sentence exactly as an item has it: item text[start:end] == text."""

    text: str
    cite: int  # Source.n
    item_id: str
    start: int
    end: int
    score: float = 0.0
    theme: str | None = None
    stance: int = 0  # +1 ties tightening, -1 loosening, 0 neither
    cues: list[str] = field(default_factory=list)
    page_id: int | None = None  # the same span on the page, when provenance allows
    page_start: int | None = None
    page_end: int | None = None


@dataclass
class KeyEvent:
    id: str
    type: str
    quad: str | None
    intensity: float
    date: str | None
    dated_by: str | None  # event | item | None (undated)
    source_actors: list[str]
    target_actors: list[str]
    sources: int  # independent sources (publishers) reporting it
    salience: float
    evidence: list[Extract]  # one per reporting item
    date_raw: str | None = None  # the date as printed ("9 Nov") when no year could be given


@dataclass
class ThemeSection:
    theme: str
    label: str
    extracts: list[Extract]


@dataclass
class Brief:
    about: str | None
    actors: list[str]
    actor_names: list[str]
    since: str | None
    until: str | None
    generated_at: str
    events: list[KeyEvent] = field(default_factory=list)
    relation: dict[str, Any] | None = None
    themes: list[ThemeSection] = field(default_factory=list)
    disagreements: list[tuple[Extract, Extract]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    publishers: dict[str, int] = field(default_factory=dict)  # cited items by publisher
    considered: int = 0  # items read to make the brief
    notes: list[str] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)  # polished sentences + cites
    summary_model: str | None = None

    @property
    def title(self) -> str:
        subject = " – ".join(self.actor_names) if self.actor_names else (self.about or "the evidence base")
        span = " to ".join(filter(None, [self.since, self.until]))
        return f"Brief: {subject}" + (f" ({span})" if span else "")

    def extracts(self) -> list[Extract]:
        """Every cited sentence in the brief, in reading order."""
        out = [x for e in self.events for x in e.evidence]
        out += [x for t in self.themes for x in t.extracts]
        out += [x for pair in self.disagreements for x in pair]
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["title"] = self.title
        d["disagreements"] = [{"loosening": asdict(a), "tightening": asdict(b)}
                              for a, b in self.disagreements]
        return d


# ---------------------------------------------------------------- sentences

_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen",
           "rep", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k", "u.n"}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-ЯЁ])")
_WORD = re.compile(r"\w+", re.UNICODE)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence: lines are paragraphs; abbreviations and initials don't end one."""
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        for m in _BOUNDARY.finditer(para.group()):
            cut = para.start() + m.end()
            word = re.search(r"([\w.]+)[.!?…]+[\"”’)\]]*\s+$", text[start:cut])
            token = (word.group(1) if word else "").lower().rstrip(".")
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            spans.append(_trim(text, start, cut))
            start = cut
        spans.append(_trim(text, start, para.end()))
    return [s for s in spans if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


# ---------------------------------------------------------------- cues

# Assessments and claims, rather than reports of fact: the argument of a source.
_CLAIM = re.compile(r"\b(will|would|could|may|might|must|should|unlikely|likely|risks?|"
                    r"hopes?|fears?|argues?|suggests?|means|indicates?|shows?|shown|demonstrat\w*|"
                    r"evidence|reality|increasingly|despite|yet|however|nonetheless|whereas)\b", re.I)
_BOILERPLATE = re.compile(r"cookies|privacy policy|click here|subscribe|sign up|newsletter|"
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


# ---------------------------------------------------------------- building


class _Citations:
    """Numbers items in order of first citation."""

    def __init__(self, store: Any, items: dict[str, dict[str, Any]]) -> None:
        self.store, self.items = store, items
        self.sources: dict[str, Source] = {}

    def cite(self, item_id: str, start: int, end: int, **extra: Any) -> Extract:
        item = self.items[item_id]
        if item_id not in self.sources:
            prov = item.get("provenance") or []
            first = prov[0] if prov else {}
            self.sources[item_id] = Source(
                n=len(self.sources) + 1, item_id=item_id, publisher=item.get("publisher"),
                title=item.get("title"), date=item.get("published"), url=item.get("url"),
                kind=item.get("kind"), page=first.get("page"), page_id=first.get("page_id"))
        page_id, page_start, page_end = _page_span(item, start, end)
        return Extract(text=item["text"][start:end], cite=self.sources[item_id].n, item_id=item_id,
                       start=start, end=end, page_id=page_id, page_start=page_start,
                       page_end=page_end, **extra)


def _page_span(item: dict[str, Any], start: int, end: int) -> tuple[int | None, int | None, int | None]:
    """Map item-text offsets onto the first page the item was read from (spans joined by newlines)."""
    prov = item.get("provenance") or []
    if not prov:
        return None, None, None
    page_id = prov[0].get("page_id")
    spans = [p for p in prov if p.get("page_id") == page_id]
    offset, mapped = 0, []
    for p in spans:
        length = p["end"] - p["start"]
        for pos in (start, end):
            if offset <= pos <= offset + length:
                mapped.append(p["start"] + pos - offset)
        offset += length + 1
    if len(mapped) < 2:
        return page_id, None, None
    return page_id, mapped[0], mapped[-1]


def _actor_ids(actors: list[str] | tuple[str, ...] | None) -> list[str]:
    out = []
    for a in actors or []:
        for part in re.split(r"[,\s]+", a.strip()):
            if part:
                out.append(resolve_actor(part) or part)
    return list(dict.fromkeys(out))


def _names(actor_id: str) -> list[str]:
    """Names by which an actor can be recognised in text when mentions are missing."""
    actor = kb_actor(actor_id)
    names = [actor_id]
    if actor is not None:
        names += [actor.name, *getattr(actor, "aliases", []), *getattr(actor, "demonyms", [])]
    return [n for n in names if n and len(n) > 2]


def _candidate_items(store: Any, actors: list[str], about: str | None, since: str | None,
                     until: str | None) -> list[str]:
    ids: list[str] = []
    if actors:
        m, params = marks(actors)
        rows = store.query(f"SELECT DISTINCT item_id FROM mentions WHERE actor IN {m} OR country IN {m}",
                           params + params)
        ids += [r["item_id"] for r in rows]
        if not ids:  # not enriched: fall back to names in the text
            for actor in actors:
                for name in _names(actor)[:6]:
                    ids += [r["id"] for r in store.query(
                        "SELECT id FROM items WHERE text LIKE ?", (f"%{name}%",))]
    elif about:
        words = tokens(about)
        if words:
            from steppe.store import QuerySyntaxError, StoreError

            try:
                hits = store.search(" OR ".join(words), limit=500)
            except (QuerySyntaxError, StoreError):
                hits = []
            ids += [h.id for h in hits]
    else:
        ids += [r["id"] for r in store.query("SELECT id FROM items ORDER BY published DESC LIMIT 2000")]
    ids = list(dict.fromkeys(ids))
    if since or until:
        rows = _load_items(store, ids, text=False)
        ids = [i for i in ids if _in_range(rows.get(i, {}).get("published"), since, until)]
    return ids


def _in_range(date: str | None, since: str | None, until: str | None) -> bool:
    if not date:
        return False  # an undated item cannot be placed in a period asked for
    if since and date < since and not since.startswith(date):
        return False
    return not (until and date > until_bound(until))


def _load_items(store: Any, ids: list[str], text: bool = True) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    cols = "id, title, publisher, url, published, kind" + (", text" if text else "")
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        m, params = marks(chunk)
        for r in store.query(f"SELECT {cols} FROM items WHERE id IN {m}", params):
            out[r["id"]] = dict(r)
    return out


@dataclass
class _Sentence:
    item_id: str
    start: int
    end: int
    text: str
    actors: set[str]
    themes: list[str]
    theme_score: float
    claim: bool
    stance: int
    cues: list[str]


def _sentences(store: Any, items: dict[str, dict[str, Any]], actors: list[str]) -> list[_Sentence]:
    out = []
    for item_id, item in items.items():
        text = item["text"]
        mentions = store.mentions(item_id)
        item_themes = [s.theme for s in classify("\n".join(filter(None, [item.get("title"), text])),
                                                 mentions)]
        for start, end in split_sentences(text):
            sent = text[start:end]
            words = len(tokens(sent))
            if words < 5 or words > 90 or _BOILERPLATE.search(sent) or sent.rstrip().endswith("?"):
                continue
            inside = [m for m in mentions if start <= m["start"] < end]
            hit = {a for a in actors for m in inside
                   if a in (m.get("actor"), m.get("country")) or (m.get("actor") or "").startswith(a + ".")}
            if not mentions:
                hit = {a for a in actors if any(re.search(rf"\b{re.escape(n)}\b", sent) for n in _names(a))}
            local = [{**m, "start": m["start"] - start, "end": m["end"] - start} for m in inside]
            scored = classify(sent, local)
            themes = [s.theme for s in scored] or item_themes[:1]
            sign, cues = stance(sent)
            out.append(_Sentence(item_id, start, end, sent, hit, themes,
                                 scored[0].score if scored else 0.0, bool(_CLAIM.search(sent)),
                                 sign, cues))
    return out


def _relevance(sentences: list[_Sentence], index: Bm25, query: list[str],
               actors: list[str]) -> dict[int, float]:
    scores = {i: index.score(query, i) for i in range(len(sentences))} if query else {}
    top = max(scores.values(), default=0.0) or 1.0
    out = {}
    for i, s in enumerate(sentences):
        r = 2.0 * scores.get(i, 0.0) / top
        r += 1.0 * len(s.actors) + (0.5 if actors and len(s.actors) == len(actors) > 1 else 0.0)
        r += 0.6 if s.claim else 0.0
        r += 0.3 if s.stance else 0.0
        r += 0.1 * min(s.theme_score, 5.0)
        out[i] = round(r, 4)
    return out


def build_brief(store: Any, *, about: str | None = None, actors: list[str] | None = None,
                since: str | None = None, until: str | None = None, per_theme: int = PER_THEME,
                max_events: int = MAX_EVENTS) -> Brief:
    """Assemble a brief from the evidence base; every sentence in it is a cited extract."""
    since, until = check_date(since, "since"), check_date(until, "until")
    actor_ids = _actor_ids(actors)
    if not actor_ids and not (about and about.strip()):
        raise InvalidParameter("give actors (e.g. KAZ RUS) or a question/topic to brief on")
    brief = Brief(about=about, actors=actor_ids, actor_names=[actor_label(a) for a in actor_ids],
                  since=since, until=until,
                  generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    ids = _candidate_items(store, actor_ids, about, since, until)
    items = _load_items(store, ids)
    for item_id in items:
        items[item_id]["provenance"] = store.provenance(item_id)
    brief.considered = len(items)
    cites = _Citations(store, items)
    brief.events = _key_events(store, actor_ids, since, until, max_events, cites)
    if len(actor_ids) >= 2:
        brief.relation = _relation(store, actor_ids[0], actor_ids[1], since, until)
    sentences = _sentences(store, items, actor_ids)
    if sentences:
        index = Bm25([tokens(s.text) for s in sentences])
        query = tokens(about or "")
        relevance = _relevance(sentences, index, query, actor_ids)
        vectors = {i: index.vector(i) for i in range(len(sentences))}
        used = {(e.item_id, e.start) for ev in brief.events for e in ev.evidence}
        brief.themes = _themes(sentences, relevance, vectors, per_theme, cites, used, actor_ids)
        brief.disagreements = _disagreements(sentences, relevance, cites, actor_ids)
    if not items:
        brief.notes.append("No items matched" + (" (undated items are left out when a period is given)"
                                                 if since or until else "") + ".")
    brief.sources = sorted(cites.sources.values(), key=lambda s: s.n)
    brief.publishers = dict(Counter(s.publisher or "(unknown publisher)" for s in brief.sources)
                            .most_common())
    return brief


def _themes(sentences: list[_Sentence], relevance: dict[int, float],
            vectors: dict[int, dict[str, float]], k: int, cites: _Citations,
            used: set[tuple[str, int]], actors: list[str]) -> list[ThemeSection]:
    labels = theme_labels()
    by_theme: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        if not s.themes or (s.item_id, s.start) in used:
            continue
        if actors and not s.actors and not s.claim:
            continue  # off the subject and not an assessment: not what the sources argue about it
        by_theme.setdefault(s.themes[0], []).append(i)  # each sentence in its strongest theme
    sections = []
    for theme in labels:
        pool = by_theme.get(theme, [])
        if not pool:
            continue
        picks = mmr(pool, relevance, vectors, k, group={i: sentences[i].item_id for i in pool})
        extracts = [cites.cite(sentences[i].item_id, sentences[i].start, sentences[i].end,
                               score=relevance[i], theme=theme, stance=sentences[i].stance,
                               cues=sentences[i].cues) for i in picks]
        sections.append(ThemeSection(theme, labels[theme], extracts))
    # Themes with the most relevant extracts first.
    return sorted(sections, key=lambda t: -max(x.score for x in t.extracts))


def _disagreements(sentences: list[_Sentence], relevance: dict[int, float], cites: _Citations,
                   actors: list[str]) -> list[tuple[Extract, Extract]]:
    """Pairs (loosening, tightening), each side from a different item, most relevant first."""
    def ranked(sign: int) -> list[int]:
        pool = [i for i, s in enumerate(sentences) if s.stance == sign and (s.actors or not actors)]
        return sorted(pool, key=lambda i: (-relevance[i], i))

    loose, tight = ranked(-1), ranked(1)
    pairs: list[tuple[Extract, Extract]] = []
    used: set[int] = set()
    for i in loose:
        j = next((j for j in tight if j not in used and sentences[j].item_id != sentences[i].item_id),
                 None)
        if j is None:
            j = next((j for j in tight if j not in used), None)
        if j is None or i in used:
            continue
        used.update((i, j))
        a, b = sentences[i], sentences[j]
        pairs.append((cites.cite(a.item_id, a.start, a.end, score=relevance[i], stance=-1, cues=a.cues),
                      cites.cite(b.item_id, b.start, b.end, score=relevance[j], stance=1, cues=b.cues)))
        if len(pairs) >= MAX_DISAGREEMENTS:
            break
    return pairs


# ---------------------------------------------------------------- events


def _key_events(store: Any, actors: list[str], since: str | None, until: str | None, limit: int,
                cites: _Citations) -> list[KeyEvent]:
    where, params = ["e.negated = 0", "e.hypothetical = 0"], []
    if actors:
        m, ids = marks(actors)
        where.append(f"e.id IN (SELECT event_id FROM event_actors WHERE actor IN {m} OR country IN {m})")
        params += [*ids, *ids]
    date = "coalesce(e.date, i.published)"
    if since:
        where.append(f"{date} >= ?")
        params.append(since)
    if until:
        where.append(f"{date} <= ?")
        params.append(until_bound(until))
    rows = store.query(
        "SELECT e.id, e.item_id, e.record, i.published, i.publisher FROM events e"
        f" JOIN items i ON i.id = e.item_id WHERE {' AND '.join(where)} ORDER BY e.id", tuple(params))
    sides = _event_sides(store, [r["id"] for r in rows])
    missing = [r["item_id"] for r in rows if r["item_id"] not in cites.items]
    for item_id, item in _load_items(store, list(dict.fromkeys(missing))).items():
        cites.items[item_id] = {**item, "provenance": store.provenance(item_id)}
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        rec = json.loads(r["record"])
        src, tgt = sides.get(r["id"], ({}, {}))
        key = (rec["type"], rec.get("date") or r["published"], tuple(sorted(src)), tuple(sorted(tgt)))
        groups.setdefault(key, []).append({**r, "rec": rec, "src": src, "tgt": tgt})
    events = []
    for (etype, when, src, tgt), members in groups.items():
        best = max(members, key=lambda m: (m["rec"].get("confidence") or 0.0, m["id"]))
        rec = best["rec"]
        publishers = {m["publisher"] or m["item_id"] for m in members}
        involved = set(src) | set(tgt) | {c for m in members for c in (*m["src"].values(), *m["tgt"].values()) if c}
        covers = bool(actors) and all(a in involved for a in actors)
        intensity = float(rec.get("intensity") or 0.0)
        salience = abs(intensity) + 2.0 * (len(publishers) - 1) + (3.0 if covers and len(actors) > 1 else 0)
        evidence, seen = [], set()
        for m in members:
            if m["item_id"] in seen:
                continue
            seen.add(m["item_id"])
            evidence.append(cites_later(m))
        events.append(KeyEvent(
            id=rec.get("id") or best["id"], type=etype, quad=rec.get("quad"), intensity=intensity,
            date=when, dated_by="event" if rec.get("date") else ("item" if when else None),
            source_actors=list(src), target_actors=list(tgt), sources=len(publishers),
            salience=round(salience, 2), evidence=evidence, date_raw=rec.get("date_raw")))
    # Dated first (a timeline needs dates), most salient first within each.
    events.sort(key=lambda e: (e.date is None, -e.salience, e.date or "", e.id))
    events = _one_per_sentence([e for e in events if e.evidence])[:limit]
    for event in events:  # number citations in reading order
        event.evidence = [cites.cite(x.item_id, x.start, x.end, score=event.salience)
                          for x in event.evidence]
    return events


def _one_per_sentence(events: list[KeyEvent]) -> list[KeyEvent]:
    """Several events coded from one sentence show once, as the most salient of them."""
    seen: set[tuple[str, int]] = set()
    out = []
    for event in events:
        spans = {(x.item_id, x.start) for x in event.evidence}
        if spans & seen:
            continue
        seen |= spans
        out.append(event)
    return out


def cites_later(member: dict[str, Any]) -> Extract:
    """A placeholder extract (numbered once the event is kept, so unused events get no number)."""
    rec = member["rec"]
    return Extract(text="", cite=0, item_id=member["item_id"], start=int(rec["evidence_start"]),
                   end=int(rec["evidence_end"]))


def _event_sides(store: Any, ids: list[str]) -> dict[str, tuple[dict[str, str | None], dict[str, str | None]]]:
    out: dict[str, tuple[dict[str, str | None], dict[str, str | None]]] = {}
    for i in range(0, len(ids), 500):
        m, params = marks(ids[i:i + 500])
        for r in store.query(f"SELECT event_id, side, actor, country FROM event_actors WHERE event_id IN {m}",
                             params):
            src, tgt = out.setdefault(r["event_id"], ({}, {}))
            (src if r["side"] == "source" else tgt)[r["actor"]] = r["country"]
    return out


def _relation(store: Any, a: str, b: str, since: str | None, until: str | None) -> dict[str, Any] | None:
    try:
        from steppe.analyse.relations import relation_series
    except ImportError:
        return None
    series = relation_series(store, a, b, by="month", since=since, until=until)
    if len(series["periods"]) > 24:
        series = relation_series(store, a, b, by="quarter", since=since, until=until)
    elif not series["periods"] and series.get("unplaced"):
        # Events dated only to the year are left out of months: show years instead.
        series = relation_series(store, a, b, by="year", since=since, until=until)
    return {
        "a": a, "b": b, "by": series["by"], "unplaced": len(series.get("unplaced") or []),
        "totals": series.get("totals"),
        "periods": [{"period": p["period"], "count": p["combined"]["count"],
                     "intensity": p["combined"]["intensity"],
                     "a_to_b": p["a_to_b"]["count"], "b_to_a": p["b_to_a"]["count"]}
                    for p in series["periods"]],
    }


# ---------------------------------------------------------------- polishing


class PolishRefused(RuntimeError):
    """The model's text had a sentence without a valid citation; nothing generated is kept."""


_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def check_citations(text: str, allowed: set[int]) -> list[dict[str, Any]]:
    """Split generated text into sentences; each must cite [n] with n among ``allowed``."""
    sentences, bad = [], []
    for start, end in split_sentences(text):
        sent = text[start:end].strip()
        if not sent or not re.search(r"\w", sent):
            continue
        numbers = [int(n) for group in _CITE.findall(sent) for n in re.split(r"\s*[,;]\s*", group)]
        if not numbers or any(n not in allowed for n in numbers):
            bad.append(sent)
        sentences.append({"text": sent, "cites": sorted(set(numbers))})
    if bad:
        raise PolishRefused("generated sentences without a valid citation: "
                            + " | ".join(s[:120] for s in bad))
    if not sentences:
        raise PolishRefused("the model returned no text")
    return sentences


def polish(brief: Brief, *, url: str | None = None, model: str | None = None,
           timeout: float = 120.0) -> Brief:
    """Add a generated summary written only from the brief's extracts (off unless a URL is set).

    ``url`` (or ``STEPPE_LLM_URL``) is the base of an OpenAI-compatible API,
    e.g. http://127.0.0.1:8080/v1; ``STEPPE_LLM_MODEL`` names the model.
    Raises :class:`PolishRefused` when any generated sentence lacks a citation.
    """
    import httpx

    url = url or os.environ.get("STEPPE_LLM_URL")
    if not url:
        return brief
    model = model or os.environ.get("STEPPE_LLM_MODEL", "default")
    extracts = brief.extracts()
    if not extracts:
        raise PolishRefused("the brief has no extracts to summarise")
    lines = "\n".join(f"[{x.cite}] {x.text}" for x in extracts)
    messages = [
        {"role": "system", "content": (
            "You summarise evidence for a political analyst. Use only the numbered extracts. "
            "End every sentence with the citation numbers of the extracts it rests on, like [2] "
            "or [2, 5]. Add no facts, names or dates that the extracts do not contain.")},
        {"role": "user", "content": f"Question: {brief.about or brief.title}\n\nExtracts:\n{lines}\n\n"
                                    "Write a summary of at most six sentences."},
    ]
    endpoint = url.rstrip("/") + ("" if url.rstrip("/").endswith("/chat/completions")
                                  else "/chat/completions")
    try:
        response = httpx.post(endpoint, json={"model": model, "messages": messages, "temperature": 0},
                              timeout=timeout)
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
        raise PolishRefused(f"the model endpoint failed: {exc}") from exc
    brief.summary = check_citations(text, {s.n for s in brief.sources})
    brief.summary_model = model
    return brief


# ---------------------------------------------------------------- rendering


def span_link(x: Extract, base_url: str | None = None) -> str:
    """The evidence span in the workbench: the page view highlights [start, end) when mapped."""
    base = (base_url if base_url is not None else os.environ.get("STEPPE_BASE_URL", DEFAULT_BASE_URL))
    base = base.rstrip("/")
    if x.page_id is not None and x.page_start is not None:
        return f"{base}/#/page/{x.page_id}?start={x.page_start}&end={x.page_end}"
    return f"{base}/#/item/{x.item_id}?start={x.start}&end={x.end}"


def _web_url(url: str | None) -> bool:
    return bool(url) and url.strip().lower().startswith(("http://", "https://"))


def _span_label(x: Extract) -> str:
    return f"{x.item_id}:{x.start}-{x.end}"


def _event_label(e: KeyEvent) -> str:
    def side(ids: list[str]) -> str:
        return ", ".join(actor_label(i) for i in ids) or "?"
    when = e.date or (f"{e.date_raw} (year not given)" if e.date_raw else "date unknown")
    if e.dated_by == "item":
        when += " (publication date)"
    return (f"{when} · {e.type} · {side(e.source_actors)} → {side(e.target_actors)} · intensity "
            f"{e.intensity:+.1f} · {e.sources} source{'s' if e.sources != 1 else ''}")


def _source_line(s: Source) -> str:
    parts = [s.publisher or "unknown publisher", f"“{s.title}”" if s.title else "untitled",
             s.date or "undated"]
    return ", ".join(parts)


def to_markdown(brief: Brief, *, base_url: str | None = None) -> str:
    out = [f"# {brief.title}", ""]
    meta = [f"Generated {brief.generated_at} from {brief.considered} items"]
    if brief.about:
        meta.append(f"question: {brief.about}")
    out += ["_" + "; ".join(meta) + "._", ""]

    def quote(x: Extract) -> str:
        return f"{x.text} [{x.cite}] ([{_span_label(x)}]({span_link(x, base_url)}))"

    if brief.summary:
        out += [f"## Summary (generated by {brief.summary_model} from the extracts below)", ""]
        out += [" ".join(s["text"] for s in brief.summary), ""]
    out += ["## Key events", ""]
    if not brief.events:
        out += ["_No coded events match._", ""]
    for e in brief.events:
        out.append(f"- **{_event_label(e)}**")
        out += [f"  - {quote(x)}" for x in e.evidence]
    out.append("")
    if brief.relation is not None:
        out += [f"## Relations {actor_label(brief.relation['a'])} – {actor_label(brief.relation['b'])}",
                ""]
        if brief.relation["periods"]:
            out += ["| period | events | summed intensity |", "| --- | ---: | ---: |"]
            out += [f"| {p['period']} | {p['count']} | {p['intensity']:+.1f} |"
                    for p in brief.relation["periods"]]
        else:
            out.append("_No dated events between them._")
        if brief.relation["unplaced"]:
            out.append(f"\n_{brief.relation['unplaced']} events without a usable date are not shown._")
        out.append("")
    out += ["## What the sources argue", ""]
    if not brief.themes:
        out += ["_No matching extracts._", ""]
    for section in brief.themes:
        out += [f"### {section.label}", ""]
        out += [f"- {quote(x)}" for x in section.extracts]
        out.append("")
    if brief.disagreements:
        out += ["### Disagreements", "", "| ties loosening | ties tightening |", "| --- | --- |"]
        for a, b in brief.disagreements:
            out.append(f"| {_md_cell(quote(a))} | {_md_cell(quote(b))} |")
        out.append("")
    out += ["## Sources", ""]
    out += [f"{s.n}. {_source_line(s)}" + (f" <{s.url}>" if _web_url(s.url) else "")
            + f" — item `{s.item_id}`" for s in brief.sources]
    out += ["", "Cited items by publisher: "
            + "; ".join(f"{p}: {n}" for p, n in brief.publishers.items()), ""]
    out += [f"_{n}_" for n in brief.notes]
    return "\n".join(out).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_CSS = """
body{font-family:"DejaVu Serif",Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1f;line-height:1.45;font-size:11pt}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;
margin-top:1.6rem}h3{font-size:1.05rem;margin-bottom:.3rem}.meta{color:#666;font-size:.9rem}
ul{padding-left:1.2rem}li{margin:.25rem 0}.ev{font-family:"DejaVu Sans",sans-serif;font-size:.85rem;
color:#333}.cite a,.span a{text-decoration:none}.cite{font-weight:bold;color:#0b5394}
.span{font-family:"DejaVu Sans Mono",monospace;font-size:.7rem;color:#888}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.4rem;
vertical-align:top;font-size:.92rem}th{background:#f4f4f4}ol.sources{font-size:.9rem}
.chart{margin:.5rem 0}.chart svg{max-width:100%;height:auto}.note{color:#666;font-style:italic}
"""


def to_html(brief: Brief, *, base_url: str | None = None) -> str:
    e = html.escape

    def quote(x: Extract) -> str:
        return (f"{e(x.text)} <span class=cite><a href=\"#ref-{x.cite}\">[{x.cite}]</a></span> "
                f"<span class=span><a href=\"{e(span_link(x, base_url))}\">{e(_span_label(x))}</a></span>")

    out = ["<!DOCTYPE html>", "<html lang=en><head><meta charset=utf-8>",
           f"<title>{e(brief.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(brief.title)}</h1>",
           f"<p class=meta>Generated {e(brief.generated_at)} from {brief.considered} items"
           + (f"; question: {e(brief.about)}" if brief.about else "")
           + ". Every sentence below is quoted from a source and cited.</p>"]
    if brief.summary:
        out.append(f"<h2>Summary <span class=meta>(generated by {e(brief.summary_model or '')} "
                   "from the extracts below)</span></h2><p>")
        out.append(" ".join(e(s["text"]) for s in brief.summary) + "</p>")
    out.append("<h2>Key events</h2>")
    if not brief.events:
        out.append("<p class=note>No coded events match.</p>")
    else:
        out.append("<ul>")
        for ev in brief.events:
            out.append(f"<li><div class=ev>{e(_event_label(ev))}</div>"
                       + "".join(f"<div>{quote(x)}</div>" for x in ev.evidence) + "</li>")
        out.append("</ul>")
    if brief.relation is not None:
        rel = brief.relation
        out.append(f"<h2>Relations {e(actor_label(rel['a']))} – {e(actor_label(rel['b']))}</h2>")
        out.append(f"<div class=chart>{relation_svg(rel)}</div>")
        if rel["unplaced"]:
            out.append(f"<p class=note>{rel['unplaced']} events without a usable date are not shown.</p>")
    out.append("<h2>What the sources argue</h2>")
    if not brief.themes:
        out.append("<p class=note>No matching extracts.</p>")
    for section in brief.themes:
        out.append(f"<h3>{e(section.label)}</h3><ul>")
        out += [f"<li>{quote(x)}</li>" for x in section.extracts]
        out.append("</ul>")
    if brief.disagreements:
        out.append("<h3>Disagreements</h3><table><tr><th>Ties loosening</th><th>Ties tightening</th></tr>")
        out += [f"<tr><td>{quote(a)}</td><td>{quote(b)}</td></tr>" for a, b in brief.disagreements]
        out.append("</table>")
    out.append("<h2>Sources</h2><ol class=sources>")
    for s in brief.sources:
        # Ingested URLs are untrusted: only http(s) becomes a link (never javascript: or data:).
        link = f" <a href=\"{e(s.url)}\">{e(s.url)}</a>" if _web_url(s.url) else ""
        out.append(f"<li id=ref-{s.n}>{e(_source_line(s))}{link} <span class=span>item {e(s.item_id)}"
                   "</span></li>")
    out.append("</ol><p class=meta>Cited items by publisher: "
               + "; ".join(f"{e(p)}: {n}" for p, n in brief.publishers.items()) + "</p>")
    out += [f"<p class=note>{e(n)}</p>" for n in brief.notes]
    out.append("</body></html>")
    return "\n".join(out)


def relation_svg(relation: dict[str, Any], width: int = 640, height: int = 220) -> str:
    """A bar chart of summed event intensity per period (cooperation up, conflict down), as SVG."""
    e = html.escape
    periods = relation.get("periods") or []
    title = (f"{actor_label(relation['a'])} – {actor_label(relation['b'])}: summed event intensity"
             f" per {relation.get('by', 'period')}")
    if not periods:
        return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"40\" role=\"img\">"
                f"<text x=\"4\" y=\"24\" font-size=\"12\" font-family=\"sans-serif\">{e(title)}: "
                "no dated events</text></svg>")
    left, right, top, bottom = 44, 10, 34, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(abs(p["intensity"]) for p in periods), 1.0)
    zero = top + plot_h / 2
    step = plot_w / len(periods)
    bar = min(max(2.0, step * 0.7), 48.0)
    parts = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" "
             f"viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{e(title)}\" "
             "font-family=\"sans-serif\">",
             f"<text x=\"{left}\" y=\"14\" font-size=\"12\">{e(title)}</text>",
             f"<line x1=\"{left}\" y1=\"{zero:.1f}\" x2=\"{width - right}\" y2=\"{zero:.1f}\" "
             "stroke=\"#555\" stroke-width=\"1\"/>",
             f"<text x=\"{left - 4}\" y=\"{top + 8}\" font-size=\"9\" text-anchor=\"end\">+{peak:g}</text>",
             f"<text x=\"{left - 4}\" y=\"{zero + 3:.1f}\" font-size=\"9\" text-anchor=\"end\">0</text>",
             f"<text x=\"{left - 4}\" y=\"{top + plot_h:.1f}\" font-size=\"9\" text-anchor=\"end\">"
             f"-{peak:g}</text>"]
    label_every = max(1, math.ceil(len(periods) / 12))
    for i, p in enumerate(periods):
        x = left + i * step + (step - bar) / 2
        h = abs(p["intensity"]) / peak * (plot_h / 2)
        y = zero - h if p["intensity"] >= 0 else zero
        colour = "#2b7bb9" if p["intensity"] >= 0 else "#c0392b"
        parts.append(f"<rect x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{bar:.1f}\" height=\"{max(h, 0.5):.1f}\" "
                     f"fill=\"{colour}\"><title>{e(p['period'])}: {p['count']} events, intensity "
                     f"{p['intensity']:+.1f}</title></rect>")
        if p["count"]:
            ty = y - 3 if p["intensity"] >= 0 else y + h + 10
            parts.append(f"<text x=\"{x + bar / 2:.1f}\" y=\"{ty:.1f}\" font-size=\"9\" "
                         f"text-anchor=\"middle\">{p['count']}</text>")
        if i % label_every == 0:
            parts.append(f"<text x=\"{x + bar / 2:.1f}\" y=\"{height - bottom + 14}\" font-size=\"9\" "
                         f"text-anchor=\"middle\">{e(p['period'])}</text>")
    parts.append(f"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"9\" fill=\"#555\">bars: summed "
                 "PLOVER intensity (blue cooperation, red conflict); numbers: events</text></svg>")
    return "".join(parts)


def to_pdf(brief: Brief, *, base_url: str | None = None) -> bytes:
    """The HTML brief as PDF through WeasyPrint (pip; uses the system's Pango library)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise RuntimeError(f"PDF output needs WeasyPrint and Pango: {exc}") from exc
    return HTML(string=to_html(brief, base_url=base_url)).write_pdf()


def render(brief: Brief, fmt: str, *, base_url: str | None = None) -> str | bytes:
    """md | html | pdf | json."""
    if fmt == "md":
        return to_markdown(brief, base_url=base_url)
    if fmt == "html":
        return to_html(brief, base_url=base_url)
    if fmt == "pdf":
        return to_pdf(brief, base_url=base_url)
    if fmt == "json":
        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2)
    raise InvalidParameter(f"format must be md, html, pdf or json, not {fmt!r}")
