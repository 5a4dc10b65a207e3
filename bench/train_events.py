"""Fit the event classifier's heads (steppe/enrich/events/event_head.npz), reproducibly.

Data (read in place, never copied):
* ``../shared/eval/events-cameo-train/cameo_class_train.tsv``: 1,349 news sentences with a
  CAMEO quad class (0 neutral statement = no PLOVER event, 1 VC, 2 MC, 3 VK, 4 MK);
* ``../shared/eval/events-plover-dev/records.json``: 158 PLOVER-typed sentences;
* ``bench/data/event_labels.tsv``: Steppe's own labels, written by hand from the source
  text: (sentence text I wrote or a ``corpus:<file>#<n>`` reference to a sentence of
  ``../shared/corpus``, type or NONE);
* ``bench/data/event_written_*.jsonl``: news-style sentences written for training, one
  PLOVER type (or NONE) each, by writers who saw the PLOVER README and manual but neither
  the evaluation records nor Steppe (fields: id, text, type, mode, source, target, note,
  optionally lang: writer c's set has 120 Russian sentences among its 480). They are in every training fold of the PLOVER and CAMEO figures;
  ``bench/events.py`` also scores each writer's set with heads fitted without it (the
  held-out-writer figures).

Heads: multinomial logistic regression (scikit-learn, L2; C chosen by 5-fold CV on log loss)
on e5 vectors; temperature fitted on the out-of-fold logits of that CV (calibration). The
script prints the cross-validated figures and writes a reliability plot to
``docs/event-reliability.png``.

Run: ``python bench/train_events.py`` (about 3 minutes, mostly encoding; vectors are cached
under ``bench/.cache``). Deterministic: fixed folds and seeds, lbfgs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from steppe.enrich.events.learned import (  # noqa: E402
    ENCODER,
    HEAD_PATH,
    NO_EVENT,
    QUAD_CLASSES,
    Head,
    combine,
    softmax,
)
from steppe.enrich.plover import QUADS  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CORPUS = ROOT.parent / "shared" / "corpus"
CAMEO = EVAL / "events-cameo-train" / "cameo_class_train.tsv"
PLOVER = EVAL / "events-plover-dev" / "records.json"
OWN = ROOT / "bench" / "data" / "event_labels.tsv"
WRITTEN = ROOT / "bench" / "data"
CACHE = ROOT / "bench" / ".cache"
PLOT = ROOT / "docs" / "event-reliability.png"
CAMEO_QUAD = {0: NO_EVENT, 1: "verbal_cooperation", 2: "material_cooperation",
              3: "verbal_conflict", 4: "material_conflict"}
# Families only: ACCUSE/REQUEST are named by the rules (see steppe.enrich.events.learned).
TYPE_CLASSES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION",
                "PROTEST", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT")
FAMILY_OF = {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}
C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0)
# The C values the last run chose (bench/events.py refits per fold with these).
C_QUAD, C_TYPE = 30.0, 100.0
FOLDS = 5
SEED = 0


@dataclass
class Sample:
    text: str
    quad: str  # one of QUAD_CLASSES
    type: str | None  # PLOVER family, NONE, or None when only the quad is known
    source: str  # "cameo", "plover", "own"
    ref: str = ""  # id in its set
    writer: str = ""  # the written set it comes from ("a" for event_written_a.jsonl), if any
    lang: str = "en"


def load_cameo() -> list[Sample]:
    out = []
    with CAMEO.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if len(row) >= 2 and row[1].strip().isdigit():
                q = CAMEO_QUAD[int(row[1])]
                out.append(Sample(row[0].strip(), q, NO_EVENT if q == NO_EVENT else None,
                                  "cameo", f"cameo-{i}"))
    return out


def load_plover() -> list[Sample]:
    recs = json.loads(PLOVER.read_text(encoding="utf-8"))
    return [Sample(r["text"], QUADS[r["event"]], FAMILY_OF.get(r["event"], r["event"]),
                   "plover", r["id"]) for r in recs]


def _corpus_sentence(ref: str) -> str | None:
    from steppe.enrich.events.sentences import split_sentences

    name, _, n = ref.partition("#")
    path = next(CORPUS.glob(f"{name}*"), None) if CORPUS.is_dir() else None
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    k = int(n)
    return text[spans[k][0]:spans[k][1]] if k < len(spans) else None


def load_own(cameo: list[Sample]) -> list[Sample]:
    """Own labels: a ``cameo:N`` reference types that CAMEO sentence (no new sample); a
    ``corpus:<file>#<n>`` reference or a literal sentence adds one."""
    if not OWN.is_file():
        return []
    by_ref = {s.ref: s for s in cameo}
    out = []
    for i, line in enumerate(OWN.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        text, label = line.rsplit("\t", 1)
        label = label.strip()
        fam = FAMILY_OF.get(label, label)
        quad = NO_EVENT if fam == NO_EVENT else QUADS[fam]
        if text.startswith("cameo:"):
            sample = by_ref.get(f"cameo-{int(text[6:])}")
            if sample is not None:
                sample.type = fam  # the quad stays CAMEO's: the quad head learns CAMEO's labels
            continue
        if text.startswith("corpus:"):
            resolved = _corpus_sentence(text[7:])
            if resolved is None:
                continue
            text = resolved
        out.append(Sample(text, quad, fam, "own", f"own-{i}"))
    return out


def writers() -> dict[str, Path]:
    """The written training sets by writer ("a" -> event_written_a.jsonl)."""
    return {p.stem.rsplit("_", 1)[-1]: p for p in sorted(WRITTEN.glob("event_written_*.jsonl"))}


def read_written(path: Path) -> list[dict[str, object]]:
    """One written set's records; fields beyond the documented ones (``lang``) are kept."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_written() -> list[Sample]:
    out = []
    for writer, path in writers().items():
        for rec in read_written(path):
            fam = FAMILY_OF.get(str(rec["type"]), str(rec["type"]))
            quad = NO_EVENT if fam == NO_EVENT else QUADS[fam]
            out.append(Sample(str(rec["text"]), quad, fam, "own", str(rec["id"]), writer,
                              str(rec.get("lang") or "en")))
    return out


def embed(texts: list[str]) -> np.ndarray:
    """e5 vectors, cached on disk by text hash (encoding is the slow part)."""
    from steppe.analyse.semantic import get_embedder

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"vectors-{ENCODER}.npz"
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as z:
            known = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))
    keys = [hashlib.sha1(" ".join(t.split()).encode()).hexdigest() for t in texts]
    todo = [(k, " ".join(t.split())) for k, t in dict(zip(keys, texts, strict=True)).items()
            if k not in known]
    if todo:
        enc = get_embedder(ENCODER)
        for i in range(0, len(todo), 64):
            chunk = todo[i:i + 64]
            vecs = enc.passages([t for _, t in chunk])
            known.update(zip([k for k, _ in chunk], vecs, strict=True))
            print(f"  encoded {min(i + 64, len(todo))}/{len(todo)}", file=sys.stderr)
        np.savez(path, keys=np.array(list(known)), vecs=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys]).astype(np.float32)


# --- fitting -----------------------------------------------------------------------------

def fold_ids(labels: list[str], k: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """Stratified fold number per sample (deterministic)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    counts = {c: int((y == c).sum()) for c in set(labels)}
    # classes rarer than k cannot be stratified: fold them in round-robin
    strat = np.array([c if counts[c] >= k else "_rare" for c in labels])
    folds = np.zeros(len(labels), dtype=int)
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for f, (_, test) in enumerate(skf.split(np.zeros(len(y)), strat)):
        folds[test] = f
    return folds


def fit_lr(X: np.ndarray, y: list[str], classes: tuple[str, ...], C: float,
           weight: np.ndarray | None = None) -> Head:
    from sklearn.linear_model import LogisticRegression

    present = [c for c in classes if c in set(y)]
    lr = LogisticRegression(C=C, max_iter=2000, random_state=SEED)
    lr.fit(X, y, sample_weight=weight)
    W = np.zeros((len(classes), X.shape[1]), dtype=np.float32)
    b = np.full(len(classes), -30.0, dtype=np.float32)  # a class never seen gets no mass
    for row, c in enumerate(lr.classes_):
        W[classes.index(c)] = lr.coef_[row]
        b[classes.index(c)] = lr.intercept_[row]
    assert set(present) == set(lr.classes_)
    return Head(classes, W, b, 1.0)


def logits(head: Head, X: np.ndarray) -> np.ndarray:
    return X @ head.W.T + head.b


def fit_temperature(z: np.ndarray, y_idx: np.ndarray) -> float:
    """Temperature minimising the log loss of softmax(z / T) (grid then refine)."""
    def nll(t: float) -> float:
        p = softmax(z / t)
        return float(-np.log(np.maximum(p[np.arange(len(y_idx)), y_idx], 1e-12)).mean())
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 61))
    best = min(grid, key=nll)
    fine = np.linspace(best * 0.9, best * 1.1, 21)
    return float(min(fine, key=nll))


def cv_logits(X: np.ndarray, y: list[str], classes: tuple[str, ...], C: float,
              folds: np.ndarray, extra: tuple[np.ndarray, list[str]] | None = None) -> np.ndarray:
    """Out-of-fold logits; ``extra`` samples are in every training fold, never tested."""
    out = np.zeros((len(y), len(classes)), dtype=np.float64)
    ya = np.array(y)
    for f in sorted(set(folds.tolist())):
        tr = folds != f
        Xtr, ytr = X[tr], list(ya[tr])
        if extra is not None:
            Xtr = np.vstack([Xtr, extra[0]])
            ytr = ytr + list(extra[1])
        head = fit_lr(Xtr, ytr, classes, C)
        out[~tr] = logits(head, X[~tr])
    return out


def choose_c(X: np.ndarray, y: list[str], classes: tuple[str, ...], folds: np.ndarray,
             extra: tuple[np.ndarray, list[str]] | None = None) -> tuple[float, np.ndarray]:
    idx = np.array([classes.index(c) for c in y])
    best: tuple[float, float, np.ndarray] | None = None
    for C in C_GRID:
        z = cv_logits(X, y, classes, C, folds, extra)
        p = softmax(z)
        loss = float(-np.log(np.maximum(p[np.arange(len(idx)), idx], 1e-12)).mean())
        print(f"  C={C:<5} CV log loss {loss:.3f}  accuracy {(p.argmax(1) == idx).mean():.3f}",
              file=sys.stderr)
        if best is None or loss < best[0]:
            best = (loss, C, z)
    assert best is not None
    return best[1], best[2]


@dataclass
class Data:
    samples: list[Sample]
    X: np.ndarray

    def subset(self, pred) -> tuple[np.ndarray, list[Sample]]:  # type: ignore[no-untyped-def]
        idx = [i for i, s in enumerate(self.samples) if pred(s)]
        return self.X[idx], [self.samples[i] for i in idx]


def load_all() -> Data:
    cameo = load_cameo()
    samples = cameo + load_plover()
    samples += load_own(cameo) + load_written()
    return Data(samples, embed([s.text for s in samples]))


def fit_heads(data: Data, *, verbose: bool = True) -> tuple[Head, Head, dict[str, object]]:
    """Both heads with CV-chosen C and CV-fitted temperature; also returns CV figures."""
    X, S = data.X, data.samples
    quad_y = [s.quad for s in S]
    qfolds = fold_ids(quad_y)
    C_q, zq = choose_c(X, quad_y, QUAD_CLASSES, qfolds)
    qidx = np.array([QUAD_CLASSES.index(c) for c in quad_y])
    Tq = fit_temperature(zq, qidx)
    quad = fit_lr(X, quad_y, QUAD_CLASSES, C_q)
    quad.T = Tq

    Xt, St = data.subset(lambda s: s.type is not None and s.type != NO_EVENT)
    type_y = [s.type for s in St]
    tfolds = fold_ids(type_y)
    C_t, zt = choose_c(Xt, type_y, TYPE_CLASSES, tfolds)
    tidx = np.array([TYPE_CLASSES.index(c) for c in type_y])
    Tt = fit_temperature(zt, tidx)
    types = fit_lr(Xt, type_y, TYPE_CLASSES, C_t)
    types.T = Tt
    info = {"C_quad": C_q, "T_quad": Tq, "C_type": C_t, "T_type": Tt,
            "cv_quad_logits": zq / Tq, "quad_idx": qidx, "cv_type_logits": zt / Tt,
            "type_idx": tidx}
    if verbose:
        print(f"quad head: C={C_q} T={Tq:.2f} on {len(S)} sentences; "
              f"type head: C={C_t} T={Tt:.2f} on {len(St)} sentences", file=sys.stderr)
    return quad, types, info


def save(quad: Head, types: Head, data: Data, path: Path = HEAD_PATH) -> None:
    counts = {src: sum(s.source == src for s in data.samples) for src in ("cameo", "plover", "own")}
    np.savez_compressed(
        path,
        quad_classes=np.array(quad.classes), quad_W=quad.W.astype(np.float16),
        quad_b=quad.b.astype(np.float32), quad_T=np.float32(quad.T),
        type_classes=np.array(types.classes), type_W=types.W.astype(np.float16),
        type_b=types.b.astype(np.float32), type_T=np.float32(types.T),
        meta_encoder=np.array(ENCODER), meta_cameo=np.int32(counts["cameo"]),
        meta_plover=np.int32(counts["plover"]), meta_own=np.int32(counts["own"]),
    )


# --- reliability plot ----------------------------------------------------------------------

def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, n) per equal-width confidence bin."""
    out = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            out.append((float(conf[m].mean()), float(correct[m].mean()), int(m.sum())))
    return out


def ece(conf: np.ndarray, correct: np.ndarray) -> float:
    return sum(n * abs(c - a) for c, a, n in reliability(conf, correct)) / max(len(conf), 1)


def draw_reliability(curves: dict[str, list[tuple[float, float, int]]], path: Path) -> None:
    """Predicted confidence against observed accuracy, drawn with Pillow (already a dependency
    through weasyprint; matplotlib is not installed)."""
    from PIL import Image, ImageDraw

    W, H, M = 520, 520, 60
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)

    def xy(x: float, y: float) -> tuple[float, float]:
        return M + x * (W - 2 * M), H - M - y * (H - 2 * M)

    d.rectangle([xy(0, 1), xy(1, 0)], outline="black")
    for t in np.linspace(0, 1, 6):
        d.line([xy(t, 0), xy(t, -0.015)], fill="black")
        d.text((xy(t, 0)[0] - 8, H - M + 8), f"{t:.1f}", fill="black")
        d.line([xy(0, t), xy(-0.015, t)], fill="black")
        d.text((M - 32, xy(0, t)[1] - 6), f"{t:.1f}", fill="black")
    d.line([xy(0, 0), xy(1, 1)], fill=(160, 160, 160), width=1)
    d.text((W / 2 - 70, H - 30), "predicted confidence", fill="black")
    d.text((8, 20), "observed accuracy", fill="black")
    colours = [(31, 119, 180), (214, 39, 40), (44, 160, 44)]
    for k, (name, pts) in enumerate(curves.items()):
        col = colours[k % len(colours)]
        line = [xy(c, a) for c, a, _ in pts]
        if len(line) > 1:
            d.line(line, fill=col, width=2)
        for (_c, _a, n), p in zip(pts, line, strict=True):
            r = 2 + min(n, 400) ** 0.5 / 3
            d.ellipse([p[0] - r, p[1] - r, p[0] + r, p[1] + r], outline=col, width=2)
        d.text((M + 10, M + 10 + 16 * k), name, fill=col)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def main() -> int:
    if not CAMEO.is_file() or not PLOVER.is_file():
        print(f"skipped: {EVAL} is absent (shared evaluation data not mounted)")
        return 0
    data = load_all()
    quad, types, info = fit_heads(data)
    save(quad, types, data)
    zq, qi = info["cv_quad_logits"], info["quad_idx"]
    pq = softmax(zq)  # type: ignore[arg-type]
    q_conf, q_ok = pq.max(1), pq.argmax(1) == qi
    zt, ti = info["cv_type_logits"], info["type_idx"]
    pt = softmax(zt)  # type: ignore[arg-type]
    t_conf, t_ok = pt.max(1), pt.argmax(1) == ti
    curves = {f"quad (5-fold CV, n={len(qi)}), ECE {ece(q_conf, q_ok):.3f}":  # type: ignore[arg-type]
              reliability(q_conf, q_ok),
              f"type given event (5-fold CV, n={len(ti)}), ECE {ece(t_conf, t_ok):.3f}":  # type: ignore[arg-type]
              reliability(t_conf, t_ok)}
    draw_reliability(curves, PLOT)
    print(f"wrote {HEAD_PATH.relative_to(ROOT)} ({HEAD_PATH.stat().st_size} bytes) and "
          f"{PLOT.relative_to(ROOT)}")
    print(f"CV quad accuracy (all, incl. NONE) {q_ok.mean():.3f}, ECE {ece(q_conf, q_ok):.3f}; "
          f"CV type accuracy (typed sentences) {t_ok.mean():.3f}, ECE {ece(t_conf, t_ok):.3f}")
    _ = combine  # the joint used at inference is checked in bench/events.py
    return 0


if __name__ == "__main__":
    sys.exit(main())
