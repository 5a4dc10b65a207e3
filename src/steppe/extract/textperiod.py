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

from dataclasses import dataclass

__all__ = ["PeriodicRun", "minimal_period", "periodic_runs"]

MIN_REPEATS = 3  # a layout printed fewer times is no period


@dataclass(frozen=True)
class PeriodicRun:
    """Lines ``start`` .. ``end`` (exclusive) repeat the layout of their first ``period``
    lines: ``classes[start + k] == classes[start + k % period]``."""

    start: int
    end: int
    period: int

    @property
    def repeats(self) -> int:
        return (self.end - self.start) // self.period


def periodic_runs(classes: list[str], max_period: int, min_repeats: int = MIN_REPEATS) -> list[PeriodicRun]:
    """Non-overlapping runs of at least ``min_repeats`` whole periods, in sequence order.

    Longer runs win over shorter ones, then shorter periods over longer ones (a layout
    printed twice in a row is one period, not a longer one). A period whose lines all share
    one class is no layout (a list of paragraphs, a list of bare titles) and is skipped:
    such lists are read by their head lines, not by a period.
    """
    candidates: list[PeriodicRun] = []
    n = len(classes)
    for p in range(2, max_period + 1):
        j = 0
        while j + p < n:
            if classes[j] != classes[j + p]:
                j += 1
                continue
            k = j
            while k + p < n and classes[k] == classes[k + p]:
                k += 1
            run = PeriodicRun(j, k + p, p)
            if run.repeats >= min_repeats and minimal_period(classes[j:j + p]) == p:
                candidates.append(run)
            j = k + 1
    candidates.sort(key=lambda r: (-(r.end - r.start), r.period, r.start))
    taken: list[PeriodicRun] = []
    for run in candidates:
        if all(run.end <= t.start or run.start >= t.end for t in taken):
            taken.append(run)
    return sorted(taken, key=lambda r: r.start)


def minimal_period(layout: list[str]) -> int:
    """The layout's own smallest period (1 when all its lines share one class)."""
    p = len(layout)
    for q in range(1, p):
        if p % q == 0 and all(layout[i] == layout[i % q] for i in range(p)):
            return q
    return p
