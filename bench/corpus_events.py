"""The corpus pages' events, as an analyst coded them, against what Steppe codes.

    python bench/corpus_events.py [--show]

Gold: ``bench/corpus_events.json``, the events a political-risk analyst would put in a
dataset, coded by hand from the five pages of ``../shared/corpus`` (read in place) without
sight of Steppe's output or code (conventions in the file's description and each event's
note). Steppe: the corpus ingested into a throwaway SQLite store, as ``make demo`` does.

A gold event is found when a Steppe event of the same PLOVER family (FIGHT counted as
ASSAULT, INVESTIGATE as ACCUSE: the v0.8 names) cites a sentence overlapping the gold
evidence and shares an actor with it on either side (sides compared as knowledge-base ids and
the sides' countries, a government as its country). Its date is right when Steppe's equals the gold's, an undated
gold event wanting no date. Also printed: the timeline's dated events, and Steppe's events
that match no gold event (candidates for false events, or for events the analyst skipped).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "bench" / "corpus_events.json"
V08 = {"FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}


def _family(etype: str | None) -> str | None:
    from steppe.enrich.plover import FAMILY

    if etype is None:
        return None
    etype = V08.get(etype, etype)
    return FAMILY.get(etype, etype)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _sides(ev: Any) -> set[str]:
    """The actor ids and countries of an event's two sides."""
    out: set[str] = set()
    for side in (ev.source, ev.target):
        if side is not None:
            out.update(side.actors + side.countries)
    return out


def _canonical(kb: Any, name: str) -> str:
    actor = kb.get(name) or kb.resolve(name)
    if actor is None:
        return name
    if actor.type == "government" and actor.parent:
        return actor.parent
    if actor.type == "place" and actor.metonym:
        gov = kb.get(actor.metonym)
        return gov.parent if gov is not None and gov.parent else actor.id
    return actor.id


def coded_events(corpus: Path) -> list[Any]:
    """Every event Steppe stores for the corpus (a fresh SQLite store)."""
    import steppe
    from steppe.pipeline import enrich_items

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "corpus.db")
        steppe.ingest([str(corpus)], db=db)
        with steppe.open_store(db) as store:
            enrich_items(store)
            return list(store.events())


def score(gold: list[dict[str, Any]], events: list[Any], kb: Any, show: bool = False) -> dict[str, int]:
    found = dated = 0
    matched: set[int] = set()
    for g in gold:
        evidence = _norm(g["evidence"])
        want_actors = {_canonical(kb, a) for a in (g.get("source") or []) + (g.get("target") or [])}
        hit = None
        for k, ev in enumerate(events):
            text = _norm(ev.evidence or "")
            if not text or (text not in evidence and evidence not in text):
                continue
            if _family(ev.type) != _family(g["type"]):
                continue
            if not want_actors & {_canonical(kb, a) for a in _sides(ev)}:
                continue
            hit = k
            break
        if hit is not None:
            found += 1
            matched.add(hit)
            dated += int(events[hit].date == g.get("date"))
        if show:
            got = (f"{events[hit].type} {sorted(_sides(events[hit]))} {events[hit].date}"
                   if hit is not None else "-")
            print(f"  {'+' if hit is not None else ' '} {g['type']:10} {g.get('date')!s:10} "
                  f"{g['evidence'][:70]!r} -> {got}")
    unmatched = [ev for k, ev in enumerate(events) if k not in matched]
    if show:
        print("  Steppe events matching no gold event:")
        for ev in unmatched:
            print(f"    {ev.type:10} {(ev.evidence or '')[:90]!r}")
    timeline = sum(1 for ev in events if ev.date)
    return {"gold": len(gold), "found": found, "dated_right": dated, "events": len(events),
            "unmatched": len(unmatched), "timeline": timeline}


def bench_corpus_events(show: bool = False) -> None:
    if not GOLD.exists() or not CORPUS.is_dir():
        print(f"\nCorpus events: skipped ({GOLD.name} or {CORPUS} is not there)")
        return
    from steppe.enrich.actors import KnowledgeBase

    gold = json.loads(GOLD.read_text(encoding="utf-8"))["events"]
    events = coded_events(CORPUS)
    s = score(gold, events, KnowledgeBase.load(), show=show)
    print(f"\nCorpus events (bench/corpus_events.json, coded by hand from {CORPUS.name}/): "
          f"{s['found']} of {s['gold']} found (same family, overlapping sentence, a shared actor), "
          f"{s['dated_right']} of those with the right date; timeline: {s['timeline']} dated "
          f"events; {s['unmatched']} of Steppe's {s['events']} events match no gold event")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="each gold event and its match")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    bench_corpus_events(show=args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
