"""The period of a sequence of line classes: where a dump repeats one record's layout.

A listing prints every card with the same few lines (title, teaser, byline), so the
sequence of its line classes ("text after a blank line", "date line", "short label")
repeats with the card's length as its period. This module finds those runs on the class
letters alone; what a class is, and which slot of the period is the title, is the
caller's business (``textcards``).

The search is linear per period: for a period ``p`` a unit continues the run when its
class equals the class ``p`` lines further on, so one pass over the sequence per period
gives every run, and only periods up to a card's longest layout are tried.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["PeriodicRun", "minimal_period", "periodic_runs"]

MIN_REPEATS = 3  # a layout printed fewer times is no period


@dataclass(frozen=True)
class PeriodicRun:
    """Lines ``start`` .. ``end`` (exclusive) repeat one layout of ``period`` lines:
    ``classes[start + k]`` is (or, with ``alike``, stands for) ``layout[k % period]``."""

    start: int
    end: int
    period: int
    layout: tuple[str, ...] = ()  # each slot's commonest class

    @property
    def repeats(self) -> int:
        return (self.end - self.start) // self.period


def periodic_runs(classes: list[str], max_period: int, min_repeats: int = MIN_REPEATS,
                  alike: Callable[[str, str, frozenset[str]], bool] | None = None) -> list[PeriodicRun]:
    """Non-overlapping runs of at least ``min_repeats`` whole periods, in sequence order.

    Longer runs win over shorter ones, then shorter periods over longer ones (a layout
    printed twice in a row is one period, not a longer one). A period whose lines all share
    one class is no layout (a list of paragraphs, a list of bare titles) and is skipped:
    such lists are read by their head lines, not by a period.

    ``alike(line, slot, steady)`` lets a line of one class stand in a slot of another (a
    label long enough to read as text), given the classes of the slots that every repeat
    prints exactly (``steady``: a date or address line in each repeat pins its phase): a
    run may then hold such lines now and then, as long as every slot keeps its class in at
    least SLOT_AGREEMENT of its lines; the run's ``layout`` is each slot's commonest class.
    """
    candidates: list[PeriodicRun] = []
    n = len(classes)
    for p in range(2, max_period + 1):
        # matches[k]: line k repeats the line one period below it, exactly / with stand-ins
        exact = [a == b for a, b in zip(classes, classes[p:], strict=False)]
        anything = frozenset(classes)  # while scanning, any steady slot may turn up
        loose = ([e or alike(a, b, anything) or alike(b, a, anything)
                  for e, a, b in zip(exact, classes, classes[p:], strict=False)] if alike else exact)
        j = 0
        while j < n - p:
            if not loose[j]:
                j += 1
                continue
            # the run read loosely first; when a slot's stand-ins do not fit, read exactly
            for matches in ((loose, exact) if alike else (exact,)):
                k = j
                while k < n - p and matches[k]:
                    k += 1
                # a run ends on a whole period of lines that repeat exactly: a stand-in at its
                # end is more often what follows the list (its heading) than a short card
                while k > j and not all(exact[max(j, k - p):k]):
                    k -= 1
                layout = _layout(classes, j, k + p, p, alike)
                if layout or k == j:
                    break
            run = PeriodicRun(j, k + p, p, layout)
            if run.repeats >= min_repeats and layout and minimal_period(list(layout)) == p:
                candidates.append(run)
            j = max(k, j) + 1
    candidates.sort(key=lambda r: (-(r.end - r.start), r.period, r.start))
    taken: list[PeriodicRun] = []
    for run in candidates:
        if all(run.end <= t.start or run.start >= t.end for t in taken):
            taken.append(run)
    return sorted(taken, key=lambda r: r.start)


SLOT_AGREEMENT = 2 / 3  # lines of a slot that print its class when stand-ins are allowed


def _layout(classes: list[str], start: int, end: int, p: int,
            alike: Callable[[str, str, frozenset[str]], bool] | None) -> tuple[str, ...]:
    """Each slot's commonest class, or () when some slot agrees on none or holds a line that
    may not stand in for its class."""
    slots = [Counter(classes[start + k:end:p]) for k in range(p)]
    steady = frozenset(next(iter(slot)) for slot in slots if len(slot) == 1)
    out = []
    for slot in slots:
        cls, count = slot.most_common(1)[0]
        if count < SLOT_AGREEMENT * sum(slot.values()):
            return ()
        if any(c != cls and not (alike and alike(c, cls, steady)) for c in slot):
            return ()
        out.append(cls)
    return tuple(out)


def minimal_period(layout: list[str]) -> int:
    """The layout's own smallest period (1 when all its lines share one class)."""
    p = len(layout)
    for q in range(1, p):
        if p % q == 0 and all(layout[i] == layout[i % q] for i in range(p)):
            return q
    return p
