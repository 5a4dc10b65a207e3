"""Assembling a brief: key events, the relation curve, extracts by theme, disagreements."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from steppe.analyse.brief.events import key_events, relation_summary
from steppe.analyse.brief.items import (
    Citations,
    Sentence,
    candidate_items,
    load_items,
    read_sentences,
    resolve_actors,
    sentence_relevance,
)
from steppe.analyse.brief.model import (
    MAX_DISAGREEMENTS,
    MAX_EVENTS,
    PER_THEME,
    Brief,
    Extract,
    ThemeSection,
)
from steppe.analyse.brief.ranking import Bm25, mmr, tokens
from steppe.analyse.common import InvalidParameter, actor_label, check_date
from steppe.analyse.themes import theme_labels


def build_brief(store: Any, *, about: str | None = None, actors: list[str] | None = None,
                since: str | None = None, until: str | None = None, per_theme: int = PER_THEME,
                max_events: int = MAX_EVENTS) -> Brief:
    """Assemble a brief from the evidence base; every sentence in it is a cited extract."""
    since, until = check_date(since, "since"), check_date(until, "until")
    actor_ids = resolve_actors(store, actors)
    if not actor_ids and not (about and about.strip()):
        raise InvalidParameter("give actors (e.g. KAZ RUS) or a question/topic to brief on")
    brief = Brief(about=about, actors=actor_ids, actor_names=[actor_label(a) for a in actor_ids],
                  since=since, until=until,
                  generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    ids = candidate_items(store, actor_ids, about, since, until)
    items = load_items(store, ids)
    for item_id in items:
        items[item_id]["provenance"] = [p.to_dict() for p in store.provenance(item_id)]
    brief.considered = len(items)
    cites = Citations(store, items)
    brief.events, brief.other_events = key_events(store, actor_ids, since, until, max_events, cites)
    if len(actor_ids) >= 2:
        brief.relation = relation_summary(store, actor_ids[0], actor_ids[1], since, until)
    sentences = read_sentences(store, items, actor_ids)
    if sentences:
        index = Bm25([tokens(s.text) for s in sentences])
        query = tokens(about or "")
        relevance = sentence_relevance(sentences, index, query, actor_ids)
        vectors = {i: index.vector(i) for i in range(len(sentences))}
        used = {(e.item_id, e.start) for ev in (*brief.events, *brief.other_events)
                for e in ev.evidence}
        brief.themes = _themes(sentences, relevance, vectors, per_theme, cites, used, actor_ids)
        brief.disagreements = _disagreements(sentences, relevance, cites, actor_ids)
    if not items:
        brief.notes.append("No items matched" + (" (undated items are left out when a period is given)"
                                                 if since or until else "") + ".")
    brief.sources = sorted(cites.sources.values(), key=lambda s: s.n)
    brief.publishers = dict(Counter(s.publisher or "(unknown publisher)" for s in brief.sources)
                            .most_common())
    return brief


def _themes(sentences: list[Sentence], relevance: dict[int, float],
            vectors: dict[int, dict[str, float]], k: int, cites: Citations,
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


def _disagreements(sentences: list[Sentence], relevance: dict[int, float], cites: Citations,
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
