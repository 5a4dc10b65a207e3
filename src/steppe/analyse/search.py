"""Search with facets: BM25 keyword matches, and semantic neighbours when items have vectors.

A search is three steps: each *ranker* turns the query into an ordered list
of candidate item ids (under the same filters); the rankings are *fused* by
reciprocal rank fusion (with one ranker, that is its own order); the page of
hits is read back with highlighted snippets, and the *facets* are counted
over the whole candidate set, not just the page shown.

The two kinds of hit are never blurred: ``mode`` is ``keyword``, ``semantic`` or
``both``; every hit says whether it matches the keywords (``match: "keyword"``) or is
only a semantic neighbour (``match: "semantic"``); ``total`` and the facets count the
keyword matches only (in ``semantic`` mode, the neighbours), and ``counts`` gives each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from steppe.analyse.common import (
    InvalidParameter,
    actor_label,
    check_date,
    display_title,
    id_list,
    known_actor,
)
from steppe.store.query import QuerySyntaxError, item_filters, to_fts_any, to_fts_query

# Hits that can be paged through (100 pages of 20). Totals and facets count every match
# regardless, via the ranker's set SQL, where the backend gives one.
MAX_CANDIDATES = 2_000
MAX_CANDIDATES_SERVER = 2_000  # via Store.search (PostgreSQL): each candidate costs a headline
MAX_PER_PAGE = 100
# Above this many matches, SQL GROUP BY over every match costs more than a search should
# (seconds at a million items): publisher, kind and month come from the store's term index.
EXACT_FACET_MATCHES = 20_000
RRF_K = 60  # the constant of Cormack et al. (2009): damps the weight of top ranks
SNIPPET_TOKENS = 24
BROWSE_SNIPPET_CHARS = 240

START, STOP = "\x02", "\x03"
MODES = ("keyword", "semantic", "both")


@dataclass
class Ranking:
    """One ranker's answer: item ids best first, and any snippets it made on the way."""

    ids: list[str]
    snippets: dict[str, str] = field(default_factory=dict)
    capped: bool = False  # True when the ranker stopped at its candidate limit
    # The whole match set as SQL (selecting ``id``), when the ranker can say it: facets and
    # totals then count every match, not just the candidates ranked.
    set_sql: str | None = None
    fts: str | None = None  # the FTS5 query this ranking matched (for highlighting)
    set_params: tuple[Any, ...] = ()
    set_total: int | None = None


# A ranker: (store, user query, filters) -> Ranking. A dense (embedding) ranker plugs in here.
Ranker = Callable[[Any, str, dict[str, Any]], Ranking]


def keyword_ranker(store: Any, q: str, filters: dict[str, Any]) -> Ranking:
    """BM25 candidates from the store's ``rank`` (on SQLite, its term index; the match set
    as SQL, for exact facets). Filtering on an event type, which the stores do not do: FTS5
    SQL on SQLite, the store's search then a filter elsewhere."""
    if not filters.get("type") and not filters.get("language") and hasattr(store, "rank"):
        return _ranked_by_store(store, q, filters)
    if getattr(store, "backend", "sqlite") == "sqlite":
        ranking = _fts5_ranking(store, to_fts_query(q), filters)
        broader = to_fts_any(q) if not ranking.ids else None
        return _fts5_ranking(store, broader, filters) if broader else ranking
    return _store_ranking(store, q, filters)


def _ranked_by_store(store: Any, q: str, filters: dict[str, Any]) -> Ranking:
    """Candidates from ``store.rank`` (no score for every match on SQLite, no snippets anywhere)."""
    # Only without an event type or language (keyword_ranker checks): the stores' rank takes neither.
    ranked, fts = store.rank(q, limit=MAX_CANDIDATES,
                             **{k: v for k, v in filters.items() if k not in ("type", "language")})
    ranking = Ranking([item_id for item_id, _ in ranked], capped=len(ranked) >= MAX_CANDIDATES, fts=fts)
    if store.backend == "sqlite":
        where, params = item_filters(**filters)
        ranking.set_sql = (f"SELECT {SET_COLUMNS} FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
                           f" WHERE items_fts MATCH ? {where}")
        ranking.set_params = (fts, *params)
    return ranking


def _fts5_ranking(store: Any, fts: str, filters: dict[str, Any]) -> Ranking:
    where, params = item_filters(**filters)
    matches = (f"SELECT {SET_COLUMNS} FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
               f" WHERE items_fts MATCH ? {where}")
    rows = _run(store, f"{matches} ORDER BY bm25(items_fts, 2.0, 1.0), i.published DESC LIMIT ?",
                (fts, *params, MAX_CANDIDATES))
    ids = [r["id"] for r in rows]
    return Ranking(ids, capped=len(ids) >= MAX_CANDIDATES, set_sql=matches, set_params=(fts, *params),
                   fts=fts)


def _store_ranking(store: Any, q: str, filters: dict[str, Any]) -> Ranking:
    """The backend's own ranked search; the event-type and language filters (which it lacks)
    are applied after."""
    event_type, language = filters.get("type"), filters.get("language")
    hits = store.search(q, limit=MAX_CANDIDATES_SERVER,
                        **{k: v for k, v in filters.items() if k not in ("type", "language")})
    ids = [h.id for h in hits]
    if language and ids:
        marks, params = id_list(ids)
        keep = {r["id"] for r in store.query(
            f"SELECT id FROM items WHERE language = ? AND id IN {marks}", (language, *params))}
        ids = [i for i in ids if i in keep]
    if event_type and ids:
        marks, params = id_list(ids)
        keep = {r["item_id"] for r in store.query(
            f"SELECT DISTINCT item_id FROM events WHERE type = ? AND item_id IN {marks}",
            (event_type.upper(), *params))}
        ids = [i for i in ids if i in keep]
    return Ranking(ids, {h.id: h.snippet for h in hits}, capped=len(hits) >= MAX_CANDIDATES_SERVER)


def fuse(rankings: Sequence[list[str]], k: int = RRF_K) -> list[str]:
    """Reciprocal rank fusion: score(d) = sum over rankers of 1 / (k + rank)."""
    if len(rankings) == 1:
        return list(rankings[0])
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


def rankers(store: Any = None) -> list[Ranker]:
    """The rankers in use: BM25, plus the dense (embedding) ranker when the ``semantic`` extra
    is installed and ``store`` holds vectors from its model (``steppe.analyse.semantic``)."""
    found: list[Ranker] = [keyword_ranker]
    if store is not None:
        from steppe.analyse.semantic import dense_ranker_for  # imports search: import late

        dense = dense_ranker_for(store)
        if dense is not None:
            found.append(dense)
    return found


def search_items(store: Any, q: str | None, *, actor: str | None = None,
                 publisher: str | None = None, kind: str | None = None, since: str | None = None,
                 until: str | None = None, type: str | None = None, page: int = 1,
                 per_page: int = 20, mode: str = "both",
                 language: str | None = None) -> dict[str, Any]:
    """One page of hits plus facet counts over every match; an empty query browses newest first.

    ``mode``: ``keyword`` (BM25 matches), ``semantic`` (nearest items by embedding) or
    ``both`` (matches and neighbours fused, each hit labelled). Raises QuerySyntaxError for
    a query with nothing searchable in it, InvalidParameter for a malformed date, page or
    mode (and for ``semantic`` when the store has no vectors a installed model can read),
    and UnknownActor for an actor nobody knows.
    """
    if mode not in MODES:
        raise InvalidParameter(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    since, until = check_date(since, "since"), check_date(until, "until")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidParameter(f"page must be >= 1 and per_page between 1 and {MAX_PER_PAGE}")
    actor_id = known_actor(store, actor) if actor else None
    filters = {"actor": actor_id, "publisher": publisher, "kind": kind, "since": since,
               "until": until, "type": type, "language": language or None}
    q = (q or "").strip()
    fts = to_fts_query(q) if q else None  # validates the syntax the same way on every backend
    snippets: dict[str, str] = {}
    set_sql: str | None = None
    set_params: tuple[Any, ...] = ()
    keyword_ids: list[str] = []
    neighbours: list[str] = []
    if fts is not None:
        dense = [rank for rank in rankers(store) if rank is not keyword_ranker]
        if mode == "semantic" and not dense:
            raise InvalidParameter("semantic search needs item vectors from an installed model"
                                   " (`steppe embed`; pip install -e \".[semantic]\")")
        keyword = keyword_ranker(store, q, filters) if mode != "semantic" else Ranking([])
        near = [rank(store, q, filters) for rank in dense] if mode != "keyword" else []
        keyword_ids = keyword.ids
        matched = set(keyword_ids)
        neighbours = list(dict.fromkeys(i for r in near for i in r.ids if i not in matched))
        ids = fuse([r for r in (keyword_ids, *(r.ids for r in near)) if r]) if (
            keyword_ids or neighbours) else []
        capped = keyword.capped
        snippets.update(keyword.snippets)
        # Highlight what was matched: the all-terms query, or its any-term fallback.
        fts = keyword.fts or fts
        if mode == "semantic":
            set_sql = None
        elif keyword.set_sql:
            set_sql, set_params = keyword.set_sql, keyword.set_params
    else:
        where, params = item_filters(**filters)
        set_sql, set_params = f"SELECT {SET_COLUMNS} FROM items i WHERE 1=1 {where}", tuple(params)
        ids = [r["id"] for r in store.query(
            f"SELECT i.id FROM items i WHERE 1=1 {where}"
            " ORDER BY (i.published IS NULL), i.published DESC, i.id LIMIT ?",
            (*params, MAX_CANDIDATES))]
        capped = len(ids) >= MAX_CANDIDATES
    sampled: list[str] = []
    large = _large_match_facets(store, fts, filters) if set_sql is not None and fts else None
    if large is not None:
        # Counting actors and event types over hundreds of thousands of matches costs seconds:
        # those two are counted over the ranked candidates, and the response says so.
        total, counted = large
        exact, sampled = True, ["actor", "event_type"]
        counted.update({name: values for name, values in facets(store, ids).items() if name in sampled})
    elif set_sql is not None:
        counted = facets(store, id_sql=set_sql, id_params=set_params)
        total, exact = sum(r["count"] for r in counted["kind"]), True
    elif fts is not None:
        # Facets and "N items match" count matches: the keyword matches, or in semantic mode
        # the neighbours (which are all there is).
        counted_ids = neighbours if mode == "semantic" else keyword_ids
        counted, total, exact = facets(store, counted_ids), len(counted_ids), not capped
    else:
        counted, total, exact = facets(store, ids), len(ids), not capped
    if fts is not None and mode != "semantic":
        # Matches the ranking could not hold (capped) still count; neighbours come on top.
        shown = min(len(keyword_ids), total) + len(neighbours)
    else:
        shown = min(len(ids), total)
    page_ids = ids[(page - 1) * per_page: page * per_page]
    semantic_only = set(neighbours)
    hits = _hits(store, page_ids, fts, snippets, semantic_only)
    return {
        "query": q, "fts": fts, "actor": actor_id, "total": total,
        "total_is_exact": exact, "mode": mode if fts is not None else "browse",
        "counts": {"keyword": total if mode != "semantic" else 0,
                   "semantic": len(neighbours)} if fts is not None else {"keyword": 0, "semantic": 0},
        "page": page, "per_page": per_page, "pages": max(1, -(-shown // per_page)),
        "hits": hits,
        "facets": counted,
        # Facets counted over the first `sample_size` ranked items rather than every match.
        "sampled_facets": sampled,
        "sample_size": len(ids) if sampled else None,
    }


def _large_match_facets(store: Any, fts: str, filters: dict[str, Any]
                        ) -> tuple[int, dict[str, list[dict[str, Any]]]] | None:
    """Total and publisher/kind/month counts from the store's term index, when the match set
    is too large to count in SQL and the filters are ones the index applies; else None."""
    if (not hasattr(store, "facet_counts") or filters.get("actor") or filters.get("type")
            or filters.get("language")):
        return None
    answer = store.facet_counts(fts, **{k: filters.get(k) for k in ("publisher", "kind", "since", "until")})
    if answer is None or answer[0] <= EXACT_FACET_MATCHES:
        return None
    total, counts = answer
    out = {name: [{"value": value, "count": n} for value, n in counts[name].items()] for name in counts}
    return total, _order_facets(out)


def _hits(store: Any, ids: list[str], fts: str | None, snippets: dict[str, str],
          semantic_only: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks, params = id_list(ids)
    rows = store.query(
        "SELECT i.id, i.title, i.kind, i.published, i.published_precision, i.publisher, i.url,"
        " i.language,"
        " substr(i.text, 1, ?) AS head, length(i.text) AS length"
        f" FROM items i WHERE i.id IN {marks}", (BROWSE_SNIPPET_CHARS + 1, *params))
    by_id = {r["id"]: r for r in rows}
    snippets = {i: snippets[i] for i in ids if i in snippets}
    # A neighbour does not match the keywords: it shows its opening, not a highlight.
    missing = [i for i in ids if i not in snippets and i not in semantic_only]
    if fts is not None and missing and hasattr(store, "snippets"):
        snippets.update(store.snippets(fts, missing, tokens=SNIPPET_TOKENS, start=START, stop=STOP))
    hits = []
    for rank, item_id in enumerate(ids, start=1):
        row = dict(by_id[item_id])
        head = row.pop("head")
        raw = snippets.get(item_id) or (head[:BROWSE_SNIPPET_CHARS] + ("…" if len(head) > BROWSE_SNIPPET_CHARS else ""))
        row["snippet"] = snippet_segments(raw)
        row["snippet_text"] = raw.replace(START, "").replace(STOP, "")
        row["rank"] = rank
        row["display_title"] = display_title(row["title"], head)
        row["match"] = "semantic" if item_id in semantic_only else (
            "keyword" if fts is not None else None)
        hits.append(row)
    return hits


def snippet_segments(snippet: str) -> list[dict[str, Any]]:
    """``a \\x02b\\x03 c`` -> [{text: a, match: false}, {text: b, match: true}, ...].

    Clients render the segments as text nodes (marks for matches), so no
    markup from the corpus can ever reach a page as HTML.
    """
    segments: list[dict[str, Any]] = []
    match = False
    buffer = ""
    for ch in snippet:
        if ch in (START, STOP):
            if buffer:
                segments.append({"text": buffer, "match": match})
            buffer, match = "", ch == START
        else:
            buffer += ch
    if buffer:
        segments.append({"text": buffer, "match": match})
    return segments


# Each facet is one grouped SELECT over the result set ``hits`` (a CTE of item ids); all five
# run as one statement so the set is computed once (one FTS scan, not five).
# The set's SQL selects the columns of SET_COLUMNS, so item facets need no lookup back into items.
SET_COLUMNS = "i.id, i.publisher, i.kind, i.published"
FACET_SQL: dict[str, str] = {
    "publisher": "SELECT coalesce(publisher, '') AS value, count(*) AS count FROM hits GROUP BY 1",
    "kind": "SELECT kind AS value, count(*) AS count FROM hits GROUP BY 1",
    "month": "SELECT coalesce(substr(published, 1, 7), '') AS value, count(*) AS count FROM hits"
             " GROUP BY 1",
    "actor": "SELECT m.actor AS value, count(DISTINCT m.item_id) AS count"
             " FROM hits JOIN mentions m ON m.item_id = hits.id WHERE m.actor IS NOT NULL GROUP BY 1",
    "event_type": "SELECT e.type AS value, count(DISTINCT e.item_id) AS count"
                  " FROM hits JOIN events e ON e.item_id = hits.id GROUP BY 1",
}
MAX_FACET_VALUES = {"actor": 30}


def facets(store: Any, ids: list[str] | None = None, *, id_sql: str | None = None,
           id_params: Sequence[Any] = ()) -> dict[str, list[dict[str, Any]]]:
    """Counts per publisher, kind, month, actor and event type over the whole result set.

    The set is either ``ids`` or a subquery ``id_sql`` selecting SET_COLUMNS
    (the SQLite search passes its MATCH query, so facets stay exact beyond
    the ranking's candidate cap). An empty value ('') counts items without
    one (unknown publisher, undated).
    """
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FACET_SQL}
    if id_sql is None:
        if not ids:
            return out
        marks, id_params = id_list(ids)
        id_sql = f"SELECT {SET_COLUMNS} FROM items i WHERE i.id IN {marks}"
    union = " UNION ALL ".join(
        f"SELECT '{name}' AS facet, value, count FROM ({sql}) AS f_{name}"
        for name, sql in FACET_SQL.items())
    rows = store.query(f"WITH hits AS MATERIALIZED ({id_sql}) {union}", tuple(id_params))
    for row in rows:
        out[row["facet"]].append({"value": row["value"], "count": row["count"]})
    _order_facets(out)
    forms = _surface_forms(store, [r["value"] for r in out["actor"]])
    for row in out["actor"]:
        row["label"] = actor_label(row["value"], forms.get(row["value"]))
    return out


def _order_facets(out: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Months newest first, other facets most frequent first; long lists cut."""
    for name, values in out.items():
        if name == "month":
            values.sort(key=lambda r: r["value"], reverse=True)
        else:
            values.sort(key=lambda r: (-r["count"], r["value"]))
        if name in MAX_FACET_VALUES:
            del values[MAX_FACET_VALUES[name]:]
    return out


def _surface_forms(store: Any, actors: list[str]) -> dict[str, str]:
    """The most frequent way each actor is written: its label when no knowledge base names it."""
    marks, params = id_list(actors)
    if not params:
        return {}
    rows = store.query(f"SELECT actor, text, count(*) AS n FROM mentions WHERE actor IN {marks}"
                       " GROUP BY 1, 2 ORDER BY 3, 2", params)
    return {r["actor"]: r["text"] for r in rows}  # later (more frequent) rows win


def _run(store: Any, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Run an FTS query; an FTS5 syntax error becomes a readable QuerySyntaxError, not a 500."""
    try:
        return store.query(sql, params)
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "fts5" in message or "syntax" in message or "MATCH" in message:
            raise QuerySyntaxError(f"the search engine could not read this query ({message});"
                                   " try quoting phrases or removing special characters") from exc
        raise
