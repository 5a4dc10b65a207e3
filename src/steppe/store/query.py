"""User search syntax to a safe FTS5 query.

Users type what they type into any search box: words, "quoted phrases",
prefix*, AND / OR / NOT, -excluded, parentheses. FTS5's own grammar rejects
many such strings (a stray quote, a hyphen, a colon) with a syntax error, so
every term is re-quoted here and only the operators are passed through.

A plain word also matches its variants (:func:`steppe.store.variants.query_variants`):
a Russian word its inflected forms, a known actor's name its spelling in the other script
("Tokayev" finds "Токаевым"). The index tokenises without stemming on every backend (FTS5,
the term index, PostgreSQL's 'simple'), so expanding the query serves all three with no
change to the schema. Quoted phrases and prefix* terms stay exactly as typed.
"""

from __future__ import annotations

import re
from typing import Any


class QuerySyntaxError(ValueError):
    """The query has nothing searchable in it; the message says why."""


_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<op>\(|\))|(?P<word>[^\s()"]+)')
_OPERATORS = {"AND", "OR", "NOT"}


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def to_fts_query(query: str) -> str:
    """Translate a user query; raises QuerySyntaxError when nothing searchable is left."""
    parts: list[str] = []
    depth = 0
    for match in _TOKEN.finditer(query or ""):
        if match.group("phrase") is not None:
            words = re.findall(r"\w+", match.group("phrase"))
            if words:
                parts.append(_quote(" ".join(words)))
        elif match.group("op"):
            if match.group("op") == "(":
                depth += 1
                parts.append("(")
            elif depth > 0:
                depth -= 1
                parts.append(")")
        else:
            word = match.group("word")
            if word in _OPERATORS:
                parts.append(word)
                continue
            negate = word.startswith("-") and len(word) > 1
            prefix = word.endswith("*")
            terms = re.findall(r"\w+", word)
            if not terms:
                continue
            if negate:
                parts.append("NOT")
            variants = _variants(terms[0]) if len(terms) == 1 and not prefix else ()
            if len(variants) > 1:
                parts += ["(", *" OR ".join(_quote(v) for v in variants).split(" "), ")"]
            else:
                parts.append(_quote(" ".join(terms)) + ("*" if prefix else ""))
    parts.extend(")" * depth)
    return _tidy(parts, query)


def _variants(word: str) -> tuple[str, ...]:
    from steppe.store.variants import query_variants  # loads the knowledge base: import late

    return query_variants(word)


def _tidy(parts: list[str], original: str) -> str:
    """Remove operators with nothing to bind to and empty groups, until nothing changes."""
    out = list(parts)
    changed = True
    while changed:
        changed = False
        for i, part in enumerate(out):
            prev = out[i - 1] if i > 0 else None
            nxt = out[i + 1] if i + 1 < len(out) else None
            binary_without_left = part in ("AND", "OR") and prev in (None, "(", "AND", "OR", "NOT")
            operator_without_right = part in _OPERATORS and nxt in (None, ")", "AND", "OR")
            # "NOT x" with nothing before it is not valid FTS5 ("a NOT x" is): "-x y" means
            # "y NOT x", so the exclusion moves to the end of its group, or goes if nothing is left.
            leading_not = part == "NOT" and prev in (None, "(", "AND", "OR")
            empty_group = part == "(" and nxt == ")"
            doubled_not = part == "NOT" and nxt == "NOT"  # "a NOT -b" is "a NOT b"
            if binary_without_left or operator_without_right or empty_group or doubled_not:
                del out[i : i + (2 if empty_group else 1)]
                changed = True
                break
            if leading_not and nxt is not None:
                out = _move_exclusion(out, i)
                changed = True
                break
    # FTS5 only joins two plain terms implicitly; next to a group it needs an explicit AND.
    joined: list[str] = []
    for part in out:
        after_operand = bool(joined) and joined[-1] not in _OPERATORS and joined[-1] != "("
        starts_operand = part not in _OPERATORS and part != ")"
        if after_operand and starts_operand and (part == "(" or joined[-1] == ")"):
            joined.append("AND")
        joined.append(part)
    text = " ".join(joined).replace("( ", "(").replace(" )", ")")
    if '"' not in text:
        raise QuerySyntaxError(f"nothing to search for in {original!r}")
    return text


def _move_exclusion(parts: list[str], start: int) -> list[str]:
    """Move "NOT x" at ``start`` to the end of its group when the group has a term to exclude from."""
    end = _operand_end(parts, start + 1)
    group_end = end
    depth = 0
    while group_end < len(parts) and not (parts[group_end] == ")" and depth == 0):
        depth += {"(": 1, ")": -1}.get(parts[group_end], 0)
        group_end += 1
    rest = parts[end:group_end]
    positive = any(p not in _OPERATORS and p not in "()" and (k == 0 or rest[k - 1] != "NOT")
                   for k, p in enumerate(rest))
    exclusion = parts[start:end] if positive else []
    return parts[:start] + rest + exclusion + parts[group_end:]


def _operand_end(parts: list[str], start: int) -> int:
    """Index just past the operand starting at ``start``: one term, or a whole (group)."""
    if parts[start] != "(":
        return start + 1
    depth = 0
    for j in range(start, len(parts)):
        depth += {"(": 1, ")": -1}.get(parts[j], 0)
        if depth == 0:
            return j + 1
    return len(parts)


def to_fts_any(query: str) -> str | None:
    """For a plain query (no quotes, operators, prefixes or groups): its terms joined by OR.

    Natural-language questions ("what does Moscow want in Central Asia") rarely
    have every word in one teaser; when the all-terms query finds nothing, search
    retries with this one and lets BM25 rank by how many and how rare the terms are.
    """
    if re.search(r'["()*]|(?:^|\s)-\w|\b(?:AND|OR|NOT)\b', query or ""):
        return None
    terms = [w for w in re.findall(r"\w+", query or "") if len(w) > 2 or w.isupper()]
    if len(terms) <= 1:
        return None
    # each term with its variants, as in to_fts_query (all alternatives: one flat OR)
    alternatives = dict.fromkeys(v for t in dict.fromkeys(terms) for v in (_variants(t) or (t,)))
    return " OR ".join(_quote(t) for t in alternatives)


def item_filters(*, actor: str | None = None, publisher: str | None = None, kind: str | None = None,
                 since: str | None = None, until: str | None = None, type: str | None = None,
                 language: str | None = None, placeholder: str = "?") -> tuple[str, list[Any]]:
    """SQL conditions on items ``i`` (each starting with AND) and their parameters.

    One meaning for both stores and the analyse stage. An actor matches the
    items that mention it (a country also its people's mentions: KAZ finds
    Tokayev) and those where it is an event's source or target. ``since`` and
    ``until`` are ISO prefixes; ``type`` is a PLOVER event type; ``language`` an ISO 639-1 code.
    """
    p = placeholder
    clauses: list[str] = []
    params: list[Any] = []
    if actor:
        clauses.append(f"AND i.id IN (SELECT item_id FROM mentions WHERE actor={p} OR country={p}"
                       " UNION SELECT e.item_id FROM event_actors a JOIN events e ON e.id = a.event_id"
                       f" WHERE a.actor={p} OR a.country={p})")
        params += [actor] * 4
    for column, value in (("publisher", publisher), ("kind", kind), ("language", language)):
        if value:
            clauses.append(f"AND i.{column}={p}")
            params.append(value)
    if since:
        clauses.append(f"AND i.published >= {p}")
        params.append(since)
    if until:
        # An ISO prefix compares below any longer string it starts: pad to include the whole period
        # (PostgreSQL's column has the "C" collation: a plain code point comparison, as in SQLite).
        clauses.append(f"AND i.published <= {p}")
        params.append(until + "\uffff")
    if type:
        clauses.append(f"AND i.id IN (SELECT item_id FROM events WHERE type={p})")
        params.append(type.upper())
    return " ".join(clauses), params
