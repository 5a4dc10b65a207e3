"""User search syntax to a safe FTS5 query.

Users type what they type into any search box: words, "quoted phrases",
prefix*, AND / OR / NOT, -excluded, parentheses. FTS5's own grammar rejects
many such strings (a stray quote, a hyphen, a colon) with a syntax error, so
every term is re-quoted here and only the operators are passed through.
"""

from __future__ import annotations

import re


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
            term = _quote(" ".join(terms)) + ("*" if prefix else "")
            parts.append(("NOT " if negate else "") + term)
    parts.extend(")" * depth)
    return _tidy(parts, query)


def _tidy(parts: list[str], original: str) -> str:
    """Drop operators that have nothing to bind to, and empty groups."""
    out: list[str] = []
    for part in parts:
        if part in _OPERATORS and (not out or out[-1] in _OPERATORS or out[-1] == "("):
            if part == "NOT" and out and out[-1] in ("AND", "OR", "("):
                out.append(part)
            continue
        if part == ")" and out and out[-1] == "(":
            out.pop()
            continue
        if part == ")" and out and out[-1] in _OPERATORS:
            out.pop()
        out.append(part)
    while out and out[-1] in _OPERATORS:
        out.pop()
    # "NOT x" alone is not valid FTS5 ("a NOT b" is): an exclusion with nothing before it
    # cannot be searched, so it is dropped.
    while out and out[0] == "NOT":
        out = out[2:]
    # FTS5 binds NOT to the left operand: turn "a NOT b" chains written "-b" after a term into valid form.
    text = " ".join(out).replace("( ", "(").replace(" )", ")")
    text = re.sub(r"\b(AND|OR) NOT\b", "NOT", text)
    if not re.search(r'"', text):
        raise QuerySyntaxError(f"nothing to search for in {original!r}")
    return text
