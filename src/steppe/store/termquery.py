"""The query language of the term index: the FTS5 subset :func:`steppe.store.query.to_fts_query`
writes, parsed into a tree of :class:`Phrase` leaves, checked for the shapes whose FTS5 bm25 is
well defined, and evaluated over row masks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from steppe.store.postings import Tokenizer


class NotCovered(Exception):
    """The query uses something this index does not evaluate; FTS5 answers it instead."""





@dataclass
class Phrase:
    term: str
    prefix: bool = False
    more: tuple[str, ...] = ()  # the tokens after ``term`` in a phrase of several

    @property
    def words(self) -> tuple[str, ...]:
        return (self.term, *self.more)


Node = Phrase | tuple[str, Any, Any]


def parse(fts_query: str, tokenizer: Tokenizer, *, phrases: bool = False) -> tuple[Node, list[Phrase]]:
    """Parse the FTS5 subset ``steppe.store.query.to_fts_query`` writes.

    FTS5's precedence, tightest first: juxtaposed phrases (implicit AND), NOT,
    AND, OR; all left-associative. Returns the tree and its phrases in query
    order (bm25 sums over phrases in that order). ``phrases``: accept phrases of several
    tokens (without a trailing ``*``), which :meth:`TermIndex.matches` then verifies.
    """
    tokens = _lex(fts_query)
    several = phrases
    phrases: list[Phrase] = []  # type: ignore[no-redef]
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def binary(operator: str, operand: Callable[[], Node]) -> Node:
        left = operand()
        while peek() == operator:
            take()
            left = (operator, left, operand())
        return left

    def phrase() -> Phrase:
        text = take()
        words = tokenizer.tokens(text[1:-1].replace('""', '"'))
        if not words or (len(words) > 1 and (not several or peek() == "*")):
            raise NotCovered(f"phrase of {len(words)} tokens")
        found = Phrase(words[0], prefix=peek() == "*", more=tuple(words[1:]))
        if found.prefix:
            take()
        phrases.append(found)
        return found

    def sequence() -> Node:
        if peek() == "(":
            take()
            inner = binary("OR", lambda: binary("AND", lambda: binary("NOT", sequence)))
            if take() != ")":
                raise NotCovered("unbalanced parentheses")
            return inner
        if not (peek() or "").startswith('"'):
            raise NotCovered(f"unexpected {peek()!r}")
        node: Node = phrase()
        while (peek() or "").startswith('"'):
            node = ("AND", node, phrase())
        return node

    tree = binary("OR", lambda: binary("AND", lambda: binary("NOT", sequence)))
    if pos != len(tokens):
        raise NotCovered(f"unexpected {peek()!r}")
    check_unambiguous(tree)
    return tree, phrases


def _lex(query: str) -> list[str]:
    out, i = [], 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = i + 1
            while True:
                j = query.find('"', j)
                if j < 0:
                    raise NotCovered("unterminated quote")
                if query.startswith('""', j):
                    j += 2
                    continue
                break
            out.append(query[i:j + 1])
            i = j + 1
        elif ch in "()*":
            out.append(ch)
            i += 1
        else:
            j = i
            while j < len(query) and not query[j].isspace() and query[j] not in '()*"':
                j += 1
            word = query[i:j]
            if word not in ("AND", "OR", "NOT"):
                raise NotCovered(f"bare word {word!r}")
            out.append(word)
            i = j
    return out


def check_unambiguous(node: Node) -> None:
    """Refuse the query shapes where FTS5's bm25 depends on its iterators' positions.

    FTS5 counts a phrase's instances in a row when the phrase's own iterator
    stands on that row, even inside an AND or NOT that failed there; which
    ones stand there depends on how far each iterator was advanced. Under an
    OR, that happens for AND and NOT branches, and on the right of a NOT for
    anything but plain phrases. Those shapes go to FTS5; everything else
    (words, prefixes, AND, OR of terms, NOT of terms, nested ANDs) is exact.
    """
    if isinstance(node, Phrase):
        return
    operator, left, right = node
    if operator == "OR" and not (_only_or(left) and _only_or(right)):
        raise NotCovered("OR over an AND or NOT branch")
    if operator == "NOT" and not _only_or(right):
        raise NotCovered("NOT of an AND or NOT")
    check_unambiguous(left)
    check_unambiguous(right)


def _only_or(node: Node) -> bool:
    return isinstance(node, Phrase) or (node[0] == "OR" and _only_or(node[1]) and _only_or(node[2]))


def evaluate(node: Node, phrases: list[Phrase], present: list[np.ndarray]) -> np.ndarray:
    """Rows the query matches."""
    if isinstance(node, Phrase):
        return present[next(i for i, p in enumerate(phrases) if p is node)]
    operator, left, right = node
    a, b = evaluate(left, phrases, present), evaluate(right, phrases, present)
    return a & b if operator == "AND" else a | b if operator == "OR" else a & ~b
