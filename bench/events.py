"""Benchmark the PLOVER event coder (issue 5) on the shared evaluation sets.

1. ``../shared/eval/events-plover-dev/records.json`` (PLOVER gold-standard records):
   event type accuracy and quad accuracy of the coder's best event per sentence,
   source and target country precision/recall by PLOVER ``code`` (ISO3; ``IGO`` for
   international organisations), events/s over the whole pipeline (NER + linking +
   parse + coding).
2. ``../shared/eval/events-petrarch-unittest/PETR.UnitTest.records.xml``: share of
   expected (source, target, CAMEO code -> PLOVER type via ``CAMEO2PLOVER-2021.txt``)
   triples found, and share of no-event sentences left empty. PETRARCH's actors are
   fictional ("Arnor" = ARN); an expected code matches a side when the side has that
   country, or a capitalised word of the side starts with the code's three letters.

Types are compared by PLOVER family (ACCUSE counts as DISAPPROVE, REQUEST as DEMAND:
see ``steppe.enrich.plover``). For PETRARCH, CAMEO 18-20 map to ASSAULT in the 2021
table, which merged FIGHT into ASSAULT, so either of the two matches there.

Baselines beside each figure: the majority class (most frequent gold type/quad) and,
for actors, "first two linked mentions of the sentence are source and target".

Run: ``python bench/events.py`` (skips cleanly when ../shared is absent).
"""

from __future__ import annotations

import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
PLOVER_DIR = EVAL / "events-plover-dev"
PETR_DIR = EVAL / "events-petrarch-unittest"


def _codes(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    out = set()
    for a in value:
        code = a.get("code") if isinstance(a, dict) else a
        if isinstance(code, str) and code.strip():
            out.add(code.strip().upper())
    return out


def _side_codes(side: Any, coder: Any) -> set[str]:
    if side is None:
        return set()
    codes = set(side.countries)
    for actor in side.actors:
        kind = coder.actor_type(actor)
        if kind == "organisation":
            codes.add("IGO")
    return codes


def _best(events: list[Any]) -> Any:
    return max(events, key=lambda e: e.confidence) if events else None


def _pr(tp: int, n_pred: int, n_gold: int) -> tuple[float, float]:
    return (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)


def bench_plover(coder: Any, annotator: Any) -> None:
    from steppe.enrich.plover import FAMILY, QUADS

    records = json.loads((PLOVER_DIR / "records.json").read_text(encoding="utf-8"))
    gold_types = [r["event"] for r in records]
    maj_type = Counter(gold_types).most_common(1)[0][0]
    maj_quad = Counter(QUADS.get(t, "") for t in gold_types).most_common(1)[0][0]
    type_ok = quad_ok = base_type = base_quad = n_events = 0
    counts = {k: [0, 0, 0] for k in ("src", "tgt", "bsrc", "btgt")}  # tp, pred, gold
    confusion: Counter[tuple[str, str]] = Counter()
    start = time.perf_counter()
    for r in records:
        text = r["text"]
        mentions = annotator.annotate(text) if annotator is not None else None
        events = coder.code(text, mentions=mentions, item_id=r["id"])
        n_events += len(events)
        ev = _best(events)
        gold = r["event"]
        pred = FAMILY.get(ev.type, ev.type) if ev else "NONE"
        type_ok += pred == gold
        quad_ok += ev is not None and QUADS[ev.type] == QUADS.get(gold)
        base_type += maj_type == gold
        base_quad += maj_quad == QUADS.get(gold)
        confusion[(gold, pred)] += 1
        for key, gold_codes, pred_codes in (
            ("src", _codes(r.get("source")), _side_codes(ev.source if ev else None, coder)),
            ("tgt", _codes(r.get("target")), _side_codes(ev.target if ev else None, coder)),
        ):
            c = counts[key]
            c[0] += len(gold_codes & pred_codes)
            c[1] += len(pred_codes)
            c[2] += len(gold_codes)
        linked = [m.country for m in (mentions or []) if m.country]
        firsts = list(dict.fromkeys(linked))
        for key, gold_codes, pred_codes in (
            ("bsrc", _codes(r.get("source")), set(firsts[:1])),
            ("btgt", _codes(r.get("target")), set(firsts[1:2])),
        ):
            c = counts[key]
            c[0] += len(gold_codes & pred_codes)
            c[1] += len(pred_codes)
            c[2] += len(gold_codes)
    elapsed = time.perf_counter() - start
    n = len(records)
    print(f"\nPLOVER gold standard (dev half): {n} sentences, {n_events} events coded, "
          f"{n / elapsed:.1f} sentences/s, {n_events / elapsed:.1f} events/s (full pipeline)")
    print(f"{'metric':34} {'steppe':>8} {'baseline':>9}")
    print(f"{'event type accuracy (family)':34} {type_ok / n:8.3f} {base_type / n:9.3f}"
          f"   baseline: always {maj_type}")
    print(f"{'quad accuracy':34} {quad_ok / n:8.3f} {base_quad / n:9.3f}   baseline: always {maj_quad}")
    for label, key, bkey in (("source", "src", "bsrc"), ("target", "tgt", "btgt")):
        p, rc = _pr(*counts[key])
        bp, brc = _pr(*counts[bkey])
        print(f"{label + ' country precision':34} {p:8.3f} {bp:9.3f}   baseline: first two mentions")
        print(f"{label + ' country recall':34} {rc:8.3f} {brc:9.3f}")
    misses = Counter({k: v for k, v in confusion.items() if k[0] != k[1]})
    print("most frequent confusions (gold -> coded):",
          ", ".join(f"{g}->{p} {c}" for (g, p), c in misses.most_common(8)))


def _cameo_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    text = (PLOVER_DIR / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?", line)
        if m and m.group(1) not in table:
            table[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    return table


def _plover_family(code: str, table: dict[str, tuple[str, str]]) -> str | None:
    code = re.sub(r"[^0-9]", "", code)
    for key in (code, code[:3], code[:2]):
        if key in table:
            ptype, mode = table[key]
            if ptype == "ACCUSE" and mode == "investigate":
                return "INVESTIGATE"
            return {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}.get(ptype, ptype)
    return None


def _side_matches(code: str, side: Any) -> bool:
    if side is None:
        return False
    root = code[:3]
    if root in side.countries:
        return True
    words = re.findall(r"[A-Z][A-Za-z'’-]+", side.text)
    return any(w[:3].upper() == root for w in words)


def bench_petrarch(coder: Any) -> None:
    from steppe.enrich.plover import FAMILY

    table = _cameo_table()
    tree = ET.parse(PETR_DIR / "PETR.UnitTest.records.xml")
    expected_found = expected_total = empty_ok = empty_total = 0
    base_found = 0
    type_counter: Counter[str] = Counter()
    items: list[tuple[str, list[tuple[str, str, str]], bool]] = []
    for s in tree.getroot().iter("Sentence"):
        if s.get("category") == "ERROR":
            continue
        codings = s.findall("EventCoding")
        if any(c.get("error") for c in codings):
            continue
        text = " ".join((s.findtext("Text") or "").split())
        if any((c.get("noevents") or "").lower() == "true" for c in codings):
            if s.get("id") != "FINAL-RECORD":
                items.append((text, [], True))
            continue
        triples = []
        for c in codings:
            src, tgt, ev = (c.get("sourcecode") or ""), (c.get("targetcode") or ""), c.get("eventcode")
            if not ev or not re.fullmatch(r"[A-Z]{3}\w*", src) or not re.fullmatch(r"[A-Z]{3}\w*", tgt):
                continue
            fam = _plover_family(ev, table)
            if fam:
                triples.append((src, tgt, fam))
                type_counter[fam] += 1
        if triples:
            items.append((text, triples, False))
    maj = type_counter.most_common(1)[0][0] if type_counter else "AGREE"
    for text, triples, empty in items:
        events = coder.code(text)
        if empty:
            empty_total += 1
            empty_ok += not events
            continue
        for src, tgt, fam in triples:
            expected_total += 1
            ok = {fam, "FIGHT"} if fam == "ASSAULT" else {fam}
            expected_found += any(
                FAMILY.get(e.type, e.type) in ok and _side_matches(src, e.source)
                and _side_matches(tgt, e.target) for e in events)
            base_found += fam == maj and _baseline_pair(text, src, tgt)
    print(f"\nPETRARCH unit tests: {expected_total} expected (source, target, type) triples "
          f"in {sum(1 for i in items if not i[2])} sentences; {empty_total} no-event sentences")
    print(f"{'metric':34} {'steppe':>8} {'baseline':>9}")
    print(f"{'expected triples found':34} {expected_found / max(expected_total, 1):8.3f} "
          f"{base_found / max(expected_total, 1):9.3f}   baseline: always {maj}, first two names")
    print(f"{'no-event sentences left empty':34} {empty_ok / max(empty_total, 1):8.3f} "
          f"{0.0:9.3f}   baseline: always codes one event")


def _baseline_pair(text: str, src: str, tgt: str) -> bool:
    names = [w for w in re.findall(r"\b[A-Z][a-z]+\w*", text) if len(w) > 2]
    roots = [w[:3].upper() for w in names]
    return len(roots) >= 2 and roots[0] == src[:3] and tgt[:3] in roots[1:2]


def main() -> int:
    if not PLOVER_DIR.is_dir() and not PETR_DIR.is_dir():
        print(f"skipped: {EVAL} is absent (shared evaluation data not mounted)")
        return 0
    from steppe.enrich.events import EventCoder

    try:
        from steppe.enrich.entities import EntityAnnotator

        annotator = EntityAnnotator()
    except Exception as err:  # noqa: BLE001  (coder works unlinked without the actors stage)
        print(f"note: no entity annotator ({err}); sides will be unlinked")
        annotator = None
    coder = EventCoder(annotator=annotator)
    if (PLOVER_DIR / "records.json").is_file():
        bench_plover(coder, annotator)
    else:
        print(f"skipped PLOVER: {PLOVER_DIR} absent")
    if (PETR_DIR / "PETR.UnitTest.records.xml").is_file():
        bench_petrarch(coder)
    else:
        print(f"skipped PETRARCH: {PETR_DIR} absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
