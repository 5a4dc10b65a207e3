"""Russian sentences vs their parallel English versions: entities, linking, event type, dates.

    python bench/russian.py [--split dev|test|dev2|...|dev6|all] [--classifier] [--show]

Data: bench/russian_labels.json (hand-labelled Russian press-style sentences, each with a
faithful English translation; conventions in bench/russian_labels.md). The Russian side goes
through steppe.enrich.russian, the English side through the spaCy annotator and event coder,
so the two columns compare the same sentences. Figures per split (tune on dev only):

* entity P/R/F1 - Russian: exact character spans of the labelled mentions (type ignored: the
  labels use PER/ORG/GPE/LOC, Steppe spaCy-style labels). Both languages: the set of actors
  per sentence (the English labels have no offsets, so this is the comparable figure).
* linking accuracy - of the labelled mentions some predicted mention overlaps, the share linked
  to the labelled actor; and the sentences with every labelled actor linked (the issue's
  "all actors linked" count).
* event type accuracy - over sentences with a labelled event: the most confident predicted
  event's type equals the label (exact, and by PLOVER family); events found for sentences
  labelled with none are counted as spurious.
* date accuracy - over labelled events with a date: the predicted event's date equals it.

Actor labels are ids or English names; both sides are compared as knowledge-base ids, a
government collapsed to its country (the labels map metonymy to the country: Кремль -> RUS).

Splits: dev, dev2, dev3 and dev5 are tuned on (their errors were read); test, dev4 and dev6
are held out (run once at the start and once at the end of a session, never while tuning).

Granularity (the "lenient" rows beside the strict ones): the label writers name national
bodies ``ISO3.ABBR`` by their own abbreviation, which is not always the knowledge base's id
for the same body (KGZ.PROSECUTOR for the KB's KGZ.GPO, KAZ.MES for KAZ.EMERCOM). A labelled
unit matches its parent only when the KB has no entry for that unit: a gold id ``X.Y`` that
the KB does not know counts as linked when a predicted mention over the same text is X itself
or one of X's bodies (KB parent chain or country). A gold id the KB does know is never
relaxed (gold TJK.MOD against a predicted TJK.ARMY, gold CSTO against CSTO.CRRF stay wrong),
so the lenient figure only forgives names the linker could not have produced.
``--classifier`` measures the learned multilingual coder (``steppe.enrich.events.
load_classifier``, trained on English): its type for each whole sentence in both languages
(the transfer), and the Russian coder with its type in place of the lexicon's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import f1  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "russian_labels.json"
# A second set, written by hand later without sight of the code (split "dev2"): its first
# figures were the unseen ones, quoted in the closing note before anything was tuned on it.
LABELS_DEV2 = ROOT / "bench" / "russian_labels_dev2.json"
# A third, written the same way (split "dev3", 50 sentences), held out until stop 21; tuned on
# since stop 22 (its errors were read), so test, dev4 and dev5 are the held-out splits now.
LABELS_DEV3 = ROOT / "bench" / "russian_labels_dev3.json"
# A fourth (split "dev4", 60 sentences), written by a helper session that read only the label
# conventions and dev3's format, never Steppe's code or output; held out like dev3.
LABELS_DEV4 = ROOT / "bench" / "russian_labels_dev4.json"
# A fifth (split "dev5", 60 sentences), written the same way as dev4 (conventions file and
# dev4's first two records only); held out until session 23, tuned on since (its errors were
# read), like dev3.
LABELS_DEV5 = ROOT / "bench" / "russian_labels_dev5.json"
# A sixth (split "dev6", about 60 sentences), written the same way by a helper session that
# never saw Steppe's code or output; held out.
LABELS_DEV6 = ROOT / "bench" / "russian_labels_dev6.json"
TUNED = ("dev", "dev2", "dev3", "dev5")
HELD_OUT = ("test", "dev4", "dev6")


def canonical(kb: Any, label: str | None) -> str | None:
    """A label or an actor id as a knowledge-base id, a government as its country."""
    if not label:
        return None
    actor = kb.get(label) or kb.resolve(label)
    ident = actor.id if actor is not None else label
    if actor is not None and actor.type == "government" and actor.parent:
        ident = actor.parent
    return ident


V08_TYPE = {"INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT", "DISAPPROVE": "ACCUSE", "DEMAND": "REQUEST"}


def v08_type(etype: str) -> str:
    """A Steppe type as the labels' PLOVER v0.8 scheme names it. v0.8 has 16 types: it files
    investigations under ACCUSE ('investigate' mode), criticism under ACCUSE ('disapprove'
    mode), demands under REQUEST, and merged FIGHT into ASSAULT (bench/events.py counts the
    same equivalence for PETRARCH); the other types are the same in both. The labels use
    only the 16 (bench/russian_labels.md), so a Steppe DISAPPROVE or DEMAND could never
    match them otherwise."""
    return V08_TYPE.get(etype, etype)


def steppe_type(etype: str) -> str:
    """The mapping before DISAPPROVE/DEMAND were folded in (kept so older figures compare)."""
    return {"INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}.get(etype, etype)


def records(split: str) -> list[dict[str, Any]]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    for extra in (LABELS_DEV2, LABELS_DEV3, LABELS_DEV4, LABELS_DEV5, LABELS_DEV6):
        if extra.exists():
            data["records"] += json.loads(extra.read_text(encoding="utf-8"))["records"]
    return [r for r in data["records"] if split == "all" or r["split"] == split]


def unit_parent(kb: Any, gold: str) -> str | None:
    """The parent a labelled unit ``X.Y`` may be matched at: X, when the knowledge base has no
    entry for the unit itself (see the module docstring), else None (no relaxation)."""
    if "." not in gold or kb.get(gold) is not None or kb.resolve(gold) is not None:
        return None
    parent = gold.rsplit(".", 1)[0]
    return canonical(kb, parent) if kb.get(parent) is not None else None


def belongs_to(kb: Any, actor_id: str | None, parent: str) -> bool:
    """Is ``actor_id`` the actor ``parent`` or one of its bodies (parent chain or country)?"""
    actor = kb.get(actor_id) if actor_id else None
    for _ in range(6):
        if actor is None:
            return False
        if actor.id == parent or actor.country == parent:
            return True
        actor = kb.get(actor.parent) if actor.parent else None
    return False


def lenient_linked(kb: Any, entity: dict[str, Any], mentions: list[Any]) -> bool:
    """A labelled mention linked at the granularity the knowledge base can give it."""
    want = canonical(kb, entity.get("actor"))
    over = [m for m in mentions if m.start < entity["end"] and entity["start"] < m.end]
    if any(canonical(kb, m.actor) == want for m in over):
        return True
    parent = unit_parent(kb, want) if want else None
    return parent is not None and any(belongs_to(kb, m.actor, parent) for m in over)


def main_event(events: list[Any]) -> Any | None:
    return max(events, key=lambda e: e.confidence) if events else None


class Tally:
    def __init__(self) -> None:
        self.n: dict[str, float] = {}

    def add(self, key: str, value: float = 1.0) -> None:
        self.n[key] = self.n.get(key, 0.0) + value

    def get(self, key: str) -> float:
        return self.n.get(key, 0.0)


def evaluate(recs: list[dict[str, Any]], kb: Any, lang: str,
             run: Callable[[str, str | None], tuple[list[Any], list[Any]]], show: bool) -> Tally:
    from steppe.enrich.plover import FAMILY

    t = Tally()
    for r in recs:
        text = r[lang]
        mentions, events = run(text, r.get("item_date"))
        gold_actors = {canonical(kb, e["actor"]) for e in r["entities"] if e.get("actor")}
        pred_actors = {canonical(kb, m.actor) for m in mentions if m.actor}
        t.add("actor_tp", len(gold_actors & pred_actors))
        t.add("actor_pred", len(pred_actors))
        t.add("actor_gold", len(gold_actors))
        t.add("sentences")
        t.add("all_linked", float(gold_actors <= pred_actors))
        if lang == "ru":
            # lenient: a gold actor missing from the predicted set is forgiven when each of
            # its labelled mentions is linked at the granularity the KB has (see docstring)
            missing = gold_actors - pred_actors
            forgiven = {a for a in missing if a and unit_parent(kb, a) is not None and all(
                lenient_linked(kb, e, mentions) for e in r["entities"]
                if canonical(kb, e.get("actor")) == a)}
            t.add("all_linked_lenient", float(not (missing - forgiven)))
            gold_spans = {(e["start"], e["end"]) for e in r["entities"]}
            pred_spans = {(m.start, m.end) for m in mentions}
            t.add("span_tp", len(gold_spans & pred_spans))
            t.add("span_pred", len(pred_spans))
            t.add("span_gold", len(gold_spans))
            for e in r["entities"]:
                over = [m for m in mentions if m.start < e["end"] and e["start"] < m.end]
                if over and e.get("actor"):
                    t.add("link_seen")
                    want = canonical(kb, e["actor"])
                    t.add("link_right", float(any(canonical(kb, m.actor) == want for m in over)))
                    t.add("link_right_lenient", float(lenient_linked(kb, e, mentions)))
        gold = r.get("event")
        ev = main_event(events)
        if gold is None:
            t.add("no_event")
            t.add("spurious", float(ev is not None))
        else:
            t.add("events")
            got = v08_type(ev.type) if ev is not None else None
            t.add("type_right", float(got == gold["type"]))
            t.add("type_right_old", float(ev is not None and steppe_type(ev.type) == gold["type"]))
            t.add("family_right", float(got is not None and FAMILY.get(got) == gold["family"]))
            if gold.get("date"):
                t.add("dated")
                t.add("date_right", float(ev is not None and ev.date == gold["date"]))
        if show:
            got = f"{ev.type} {ev.source and ev.source.actors} -> {ev.target and ev.target.actors}" \
                  f" {ev.date}" if ev else "-"
            want = f"{gold['type']} {gold['source']} -> {gold['target']} {gold.get('date')}" if gold else "-"
            missing = sorted(a for a in gold_actors - pred_actors if a)
            print(f"  {r['id']} {lang}: event {got} | gold {want} | actors missing {missing}")
    return t


def classifier_rows(recs: list[dict[str, Any]], clf: Any) -> list[tuple[str, str, str]]:
    """The learned coder's type for each sentence, Russian and English: the transfer."""
    from steppe.enrich.plover import FAMILY

    labelled = [r for r in recs if r.get("event")]
    out = []
    for name, fam in (("classifier type (whole sentence)", False),
                      ("classifier family (whole sentence)", True)):
        cells = []
        for lang in ("ru", "en"):
            preds = clf.predict([r[lang] for r in labelled])
            right = sum((FAMILY.get(p.event_type) == r["event"]["family"]) if fam
                        else (p.event_type == r["event"]["type"]) for p, r in zip(preds, labelled, strict=True))
            cells.append(ratio(right, len(labelled)))
        out.append((name, cells[0], cells[1]))
    return out


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f} ({a:.0f}/{b:.0f})" if b else "n/a"


def report(split: str, ru: Tally, en: Tally, extra: list[tuple[str, str, str]] = ()) -> None:
    def prf(t: Tally, prefix: str) -> str:
        p = t.get(f"{prefix}_tp") / t.get(f"{prefix}_pred") if t.get(f"{prefix}_pred") else 0.0
        r = t.get(f"{prefix}_tp") / t.get(f"{prefix}_gold") if t.get(f"{prefix}_gold") else 0.0
        return f"P {p:.3f} R {r:.3f} F1 {f1(p, r):.3f}"

    rows = [
        ("entity spans P/R/F1", prf(ru, "span"), "(no offsets in the English labels)"),
        ("actors per sentence P/R/F1", prf(ru, "actor"), prf(en, "actor")),
        ("linking accuracy (found mentions)", ratio(ru.get("link_right"), ru.get("link_seen")), "-"),
        ("  lenient (unit unknown to the KB)", ratio(ru.get("link_right_lenient"), ru.get("link_seen")), "-"),
        ("sentences, all actors linked", ratio(ru.get("all_linked"), ru.get("sentences")),
         ratio(en.get("all_linked"), en.get("sentences"))),
        ("  lenient (unit unknown to the KB)", ratio(ru.get("all_linked_lenient"), ru.get("sentences")), "-"),
        ("event type accuracy", ratio(ru.get("type_right"), ru.get("events")),
         ratio(en.get("type_right"), en.get("events"))),
        ("  (DISAPPROVE/DEMAND kept apart)", ratio(ru.get("type_right_old"), ru.get("events")),
         ratio(en.get("type_right_old"), en.get("events"))),
        ("event family accuracy", ratio(ru.get("family_right"), ru.get("events")),
         ratio(en.get("family_right"), en.get("events"))),
        ("spurious events (no event labelled)", ratio(ru.get("spurious"), ru.get("no_event")),
         ratio(en.get("spurious"), en.get("no_event"))),
        ("date accuracy (dated events)", ratio(ru.get("date_right"), ru.get("dated")),
         ratio(en.get("date_right"), en.get("dated"))),
        *extra,
    ]
    kind = "held out" if split in HELD_OUT else "tuned on" if split in TUNED else "mixed"
    print(f"\n== split {split} ({kind}): {int(ru.get('sentences'))} sentences ==")
    print(f"{'':38} {'Russian':32} English (parallel)")
    for name, a, b in rows:
        print(f"{name:38} {a:32} {b}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=(*TUNED, *HELD_OUT, "all", "both", "tuned", "held-out"),
                    default="both", help="both: every split; tuned: dev, dev2, dev3, dev5; "
                                         "held-out: test, dev4, dev6")
    ap.add_argument("--classifier", action="store_true", help="event type from load_classifier()")
    ap.add_argument("--show", action="store_true", help="print each sentence's result")
    args = ap.parse_args()
    if not LABELS.exists():
        print(f"skipped: {LABELS} is not there")
        return
    from steppe.enrich.russian import RussianEnricher
    from steppe.pipeline import load_enrichment_tools

    annotator, coder = load_enrichment_tools()
    kb = annotator.kb
    type_model = None
    if args.classifier:
        try:
            from steppe.enrich.events import load_classifier
        except ImportError:
            print("skipped --classifier: steppe.enrich.events.load_classifier is not installed")
            return
        type_model = load_classifier()
    russian = RussianEnricher(kb, type_model=type_model)

    def run_ru(text: str, date: str | None) -> tuple[list[Any], list[Any]]:
        return russian.enrich(text, date=date)

    def run_en(text: str, date: str | None) -> tuple[list[Any], list[Any]]:
        mentions = annotator.annotate(text, date=date)
        return mentions, coder.code(text, date=date, mentions=mentions)

    groups = {"both": (*TUNED, *HELD_OUT), "tuned": TUNED, "held-out": HELD_OUT}
    for split in groups.get(args.split, (args.split,)):
        if split == "dev6" and not LABELS_DEV6.exists():
            print(f"\nskipped split dev6: {LABELS_DEV6} is not there")
            continue
        recs = records(split)
        ru = evaluate(recs, kb, "ru", run_ru, args.show)
        en = evaluate(recs, kb, "en", run_en, args.show)
        report(split, ru, en, classifier_rows(recs, type_model) if type_model is not None else [])


if __name__ == "__main__":
    main()
