"""HTML main text + metadata extraction: Steppe vs trafilatura 2.3.1, side by side.

    python bench/extraction.py [--limit N] [--workers 2] [--dump out.jsonl]

Three third-party eval sets under ../shared/eval (read in place):
- extraction-trafilatura: snippet P/R/F1 (a `with` snippet found = TP, missing = FN; a `without`
  snippet found = FP, absent = TN), plus title/author/date exact match on labelled pages;
- extraction-fundus: body F1 of 4-word shingles (P and R averaged over pages, F1 of the means),
  title (case/space-normalised), date (day), author set;
- dates-htmldate: page date exact-day accuracy; the peer is htmldate with extensive_search=True.

Each page is timed in-process, one system after the other, so the per-page means are comparable.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from itertools import islice
from multiprocessing import Pool
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    EVAL_DIR,
    Case,
    f1,
    fundus_body,
    fundus_cases,
    htmldate_cases,
    norm,
    read_gz,
    shingles,
    trafilatura_cases,
)

SYSTEMS = ("steppe", "trafilatura")


# --- the two systems --------------------------------------------------------------------------


def run_steppe(data: bytes, url: str | None, dates_only: bool) -> dict[str, Any]:
    from steppe.extract.html import extract_html

    out = extract_html(data, url=url)
    return {
        "text": out.text,
        "title": out.title,
        "authors": out.authors,
        "date": out.published,
    }


def run_trafilatura(data: bytes, url: str | None, dates_only: bool) -> dict[str, Any]:
    import trafilatura
    from htmldate import find_date

    if dates_only:
        # The date peer is htmldate itself, with the settings its evaluation reports.
        return {"date": find_date(data, url=url, extensive_search=True, original_date=True)}
    # Settings of upstream's own comparison (tests/comparison.py): fallbacks on, comments off.
    text = trafilatura.extract(data, url=url, include_comments=False, include_tables=True)
    meta = trafilatura.extract_metadata(data, default_url=url)
    author = meta.author if meta else None
    return {
        "text": text or "",
        "title": meta.title if meta else None,
        "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
        "date": meta.date if meta else None,
    }


RUNNERS: dict[str, Callable[[bytes, str | None, bool], dict[str, Any]]] = {
    "steppe": run_steppe,
    "trafilatura": run_trafilatura,
}


def run_case(job: tuple[Case, tuple[str, ...]]) -> dict[str, Any]:
    case, systems = job
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    data = read_gz(case.path)
    result: dict[str, Any] = {"dataset": case.dataset, "key": case.key, "url": case.url}
    for name in systems:
        start = time.perf_counter()
        try:
            out = RUNNERS[name](data, case.url, case.dataset == "htmldate")
        except Exception as exc:  # a crash counts as an empty answer, and is reported
            out = {"text": "", "title": None, "authors": [], "date": None, "error": repr(exc)}
        out["ms"] = (time.perf_counter() - start) * 1000
        result[name] = out
    return result


# --- scoring --------------------------------------------------------------------------------


def score_trafilatura(rows: list[dict], cases: dict[str, Case], system: str) -> dict[str, float]:
    tp = fn = fp = tn = 0
    hits = {"title": [0, 0], "author": [0, 0], "date": [0, 0]}
    for row in rows:
        labels = cases[row["key"]].labels
        out = row[system]
        text = out.get("text") or ""
        for snippet in labels["with"]:
            if snippet in text:
                tp += 1
            else:
                fn += 1
        for snippet in labels["without"]:
            if snippet in text:
                fp += 1
            else:
                tn += 1
        found = {
            "title": out.get("title"),
            "author": "; ".join(out.get("authors") or []),
            "date": out.get("date"),
        }
        for field, counts in hits.items():
            gold = labels.get(field)
            if isinstance(gold, list):  # several authors are labelled as a list
                gold = "; ".join(gold)
            if gold:  # only pages that have this field labelled
                counts[1] += 1
                counts[0] += _strip(found[field]) == _strip(gold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    scores = {"snippet P": precision, "snippet R": recall, "snippet F1": f1(precision, recall)}
    for field, (good, total) in hits.items():
        scores[f"{field} acc (n={total})"] = good / total if total else 0.0
    return scores


def _strip(value: str | None) -> str:
    return " ".join((value or "").split())


def score_fundus(rows: list[dict], cases: dict[str, Case], system: str) -> dict[str, float]:
    precisions, recalls = [], []
    hits = {"title": [0, 0], "date": [0, 0], "authors": [0, 0]}
    for row in rows:
        labels = cases[row["key"]].labels
        out = row[system]
        gold = shingles(fundus_body(labels))
        if gold:
            got = shingles(out.get("text") or "")
            common = len(gold & got)
            precisions.append(common / len(got) if got else 0.0)
            recalls.append(common / len(gold))
        if labels.get("title"):
            hits["title"][1] += 1
            hits["title"][0] += norm(out.get("title")) == norm(labels["title"])
        if labels.get("publishing_date"):
            hits["date"][1] += 1
            hits["date"][0] += (out.get("date") or "")[:10] == labels["publishing_date"][:10]
        if labels.get("authors"):
            hits["authors"][1] += 1
            hits["authors"][0] += {norm(a) for a in out.get("authors") or []} == {
                norm(a) for a in labels["authors"]
            }
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    scores = {"body P": precision, "body R": recall, "body F1": f1(precision, recall)}
    for field, (good, total) in hits.items():
        scores[f"{field} acc (n={total})"] = good / total if total else 0.0
    return scores


def score_htmldate(rows: list[dict], cases: dict[str, Case], system: str) -> dict[str, float]:
    good = total = 0
    for row in rows:
        gold = cases[row["key"]].labels.get("date")
        total += 1
        good += (row[system].get("date") or None) == gold
    return {f"date acc (n={total})": good / total if total else 0.0}


SCORERS = {"trafilatura": score_trafilatura, "fundus": score_fundus, "htmldate": score_htmldate}
SET_NAMES = {
    "trafilatura": "extraction-trafilatura",
    "fundus": "extraction-fundus",
    "htmldate": "dates-htmldate",
}


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per eval set")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sets", default="trafilatura,fundus,htmldate")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--dump", type=Path, default=None, help="write per-page outputs (jsonl)")
    args = parser.parse_args(argv)

    if not EVAL_DIR.is_dir():
        print(f"skip: eval data not found at {EVAL_DIR} (needs ../shared/eval)")
        return 0
    systems = tuple(s for s in args.systems.split(",") if s in RUNNERS)
    loaders = {"trafilatura": trafilatura_cases, "fundus": fundus_cases, "htmldate": htmldate_cases}
    wanted = [s for s in args.sets.split(",") if s in loaders]
    cases: dict[str, dict[str, Case]] = {
        s: {c.key: c for c in islice(loaders[s](), args.limit)} for s in wanted
    }
    jobs = [(c, systems) for s in wanted for c in cases[s].values()]
    if not jobs:
        print(f"skip: no eval pages found under {EVAL_DIR}")
        return 0

    with Pool(args.workers) as pool:
        rows = list(pool.imap_unordered(run_case, jobs, chunksize=4))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    print(
        f"{'metric':<34} "
        + " ".join(f"{s:>12}" for s in systems)
        + (f" {'delta':>8}" if len(systems) == 2 else "")
    )
    for s in wanted:
        set_rows = [r for r in rows if r["dataset"] == s]
        print(f"-- {SET_NAMES[s]} ({len(set_rows)} pages)")
        scored = {name: SCORERS[s](set_rows, cases[s], name) for name in systems}
        times = {name: sum(r[name]["ms"] for r in set_rows) / len(set_rows) for name in systems}
        errors = {name: sum(1 for r in set_rows if "error" in r[name]) for name in systems}
        for metric in scored[systems[0]]:
            _row(metric, [scored[n][metric] for n in systems], "{:.3f}")
        _row("ms/page", [times[n] for n in systems], "{:.1f}")
        if any(errors.values()):
            _row("errors", [errors[n] for n in systems], "{:d}")
    return 0


def _row(metric: str, values: list[Any], fmt: str) -> None:
    cells = " ".join(f"{fmt.format(v):>12}" for v in values)
    delta = f" {fmt.format(values[0] - values[1]):>8}" if len(values) == 2 else ""
    print(f"{metric:<34} {cells}{delta}")


if __name__ == "__main__":
    sys.exit(main())
