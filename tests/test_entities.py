"""NER + linking: general behaviour on made-up sentences, then the labelled corpus mentions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from steppe.model import Mention

pytest.importorskip("spacy")
from steppe.enrich.entities import EntityAnnotator, PipelineMissing, annotate_record  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LABELS = Path(__file__).resolve().parent / "data" / "corpus_mentions.yaml"


@pytest.fixture(scope="module")
def ann() -> EntityAnnotator:
    try:
        return EntityAnnotator()
    except PipelineMissing as err:
        pytest.skip(str(err))


def at(mentions: list[Mention], text: str, needle: str, nth: int = 0) -> Mention | None:
    """The mention covering the nth occurrence of ``needle`` (exact span first, else shortest)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(needle, pos + 1)
    assert pos >= 0, needle
    covering = [m for m in mentions if m.start <= pos and pos + len(needle) <= m.end]
    exact = [m for m in covering if (m.start, m.end) == (pos, pos + len(needle))]
    return (exact or sorted(covering, key=lambda m: m.end - m.start) or [None])[0]


def test_offsets_point_into_text(ann: EntityAnnotator) -> None:
    text = "Kazakh President Kassym-Jomart Tokayev met Vladimir Putin in Moscow."
    for m in ann.annotate(text):
        assert text[m.start : m.end] == m.text


def test_compact_date_is_trimmed(ann: EntityAnnotator) -> None:
    text = "French President Macron 1 Nov met with President Tokayev in capital Astana."
    ms = ann.annotate(text)
    m = at(ms, text, "Macron")
    assert m is not None and m.text == "Macron" and m.label == "PERSON"
    assert m.actor == "fr.macron" and m.country == "FRA"
    assert not any("Nov" in m.text for m in ms if m.label == "PERSON")


def test_title_inside_span_is_context(ann: EntityAnnotator) -> None:
    text = "In an interview broadcast 12 Nov, Russian FM Lavrov accused the west."
    m = at(ann.annotate(text), text, "Lavrov")
    assert m is not None and m.text == "Lavrov" and m.actor == "ru.lavrov" and m.label == "PERSON"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("Токаев провёл встречу.", "Токаев"),
        ("Tokaev said the reforms would continue.", "Tokaev"),
        ("Kassym-Zhomart Tokayev spoke in Astana.", "Kassym-Zhomart Tokayev"),
        ("Officials said Tokayev would travel to Tashkent.", "Tokayev"),
    ],
)
def test_spellings_link_to_one_actor(ann: EntityAnnotator, text: str, needle: str) -> None:
    m = at(ann.annotate(text), text, needle)
    assert m is not None and m.actor == "kz.tokayev", m


def test_coreference_of_short_form_for_ambiguous_surname(ann: EntityAnnotator) -> None:
    # Two Japarovs in the KB: the short form links only because the full name came first.
    text = "Sadyr Japarov opened the session. Later Japarov told reporters he was pleased."
    ms = ann.annotate(text)
    assert at(ms, text, "Japarov", 1).actor == "kg.japarov-sadyr"
    alone = "Later Japarov told reporters he was pleased."
    m = at(ann.annotate(alone), alone, "Japarov")
    assert m is None or m.actor is None


def test_date_picks_the_office_holder(ann: EntityAnnotator) -> None:
    text = "The Kazakh president said the country would stay neutral."
    ms = ann.annotate(text, date="2015-06-01")
    assert at(ms, text, "Kazakh president").actor == "kz.nazarbayev"
    ms = ann.annotate(text, date="2023-06-01")
    assert at(ms, text, "Kazakh president").actor == "kz.tokayev"
    # No date and no named holder in the item: no guess.
    assert all(m.label != "ROLE" for m in ann.annotate(text))


def test_capital_as_subject_is_the_government(ann: EntityAnnotator) -> None:
    text = "Moscow sees the deal as a threat. Delegates gathered in Moscow on Monday."
    ms = ann.annotate(text)
    first, second = at(ms, text, "Moscow", 0), at(ms, text, "Moscow", 1)
    assert first.actor == "RUS.GOV" and first.role == "government"
    assert second.actor == "ru.moscow" and second.role is None


def test_seat_of_power_is_the_government(ann: EntityAnnotator) -> None:
    text = "Akorda announced the decree, and the Kremlin welcomed it."
    ms = ann.annotate(text)
    assert at(ms, text, "Akorda").actor == "KAZ.GOV"
    assert at(ms, text, "Kremlin").actor == "RUS.GOV"


def test_unknown_names_stay_unlinked(ann: EntityAnnotator) -> None:
    text = "Professor Nurseit Niyazbekov of KIMEP University discussed the protests."
    ms = ann.annotate(text)
    m = at(ms, text, "Nurseit Niyazbekov")
    assert m is not None and m.actor is None


def test_annotate_record_shape(ann: EntityAnnotator) -> None:
    out = annotate_record({"id": "x1", "text": "NATO met in Brussels.", "date": "2024-01-01"}, ann)
    assert out["id"] == "x1"
    assert {"text", "start", "end", "label", "actor", "country"} <= set(out["entities"][0])
    assert any(e["actor"] == "NATO" for e in out["entities"])


def test_annotate_many_matches_annotate(ann: EntityAnnotator) -> None:
    texts = ["Putin met Xi Jinping.", "The CSTO sent troops to Almaty."]
    batch = list(ann.annotate_many(texts))
    assert [[(m.start, m.actor) for m in ms] for ms in batch] == [
        [(m.start, m.actor) for m in ann.annotate(t)] for t in texts
    ]


def test_missing_pipeline_is_a_clear_error() -> None:
    with pytest.raises(PipelineMissing, match="not installed"):
        EntityAnnotator(pipeline="no_such_pipeline_xx")


# --- the labelled corpus (../shared/corpus) --------------------------------------------------


def _corpus_cases() -> list[tuple[str, str, int, str | None, list[str]]]:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["mentions"]
    cases = []
    for row in labels:
        path = CORPUS / row["file"]
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        count = text.count(row["text"])
        nths = range(count) if row["nth"] == "all" else [row["nth"]]
        for n in nths:
            cases.append((row["file"], row["text"], n, row["actor"], row.get("accept") or []))
    return cases


@pytest.fixture(scope="module")
def corpus_mentions(ann: EntityAnnotator) -> dict[str, tuple[str, list[Mention]]]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: corpus linking tests need the shared pages")
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, ann.annotate(text))
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("file, needle, nth, actor, accept", _corpus_cases() if CORPUS.is_dir() else [])
def test_corpus_mention_links(corpus_mentions, file, needle, nth, actor, accept) -> None:
    text, mentions = corpus_mentions[file]
    m = at(mentions, text, needle, nth)
    if actor is None:
        assert m is None or m.actor is None, m
    else:
        assert m is not None, f"{needle!r} #{nth} not found as a mention"
        assert m.actor in [actor, *accept], m


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_corpus_done_criteria(corpus_mentions) -> None:
    """Every mention of the named people/orgs links to exactly one actor; capitals resolve."""
    people = {
        "Tokayev": "kz.tokayev", "Putin": "ru.putin", "Macron": "fr.macron", "Lavrov": "ru.lavrov",
        "Nazarbayev": "kz.nazarbayev", "Xi Jinping": "cn.xi", "Biden": "us.biden",
        "CSTO": "CSTO", "Collective Security Treaty Organization": "CSTO", "EAEU": "EAEU",
        "Eurasian Economic Union": "EAEU", "Shanghai Cooperation Organization": "SCO",
        "NATO": "NATO", "G7": "G7", "CPC": "CPC", "Caspian Pipeline Consortium": "CPC",
        "Organisation for the Prohibition of Chemical Weapons": "OPCW",
    }  # fmt: skip
    capitals = {"Astana": ("kz.astana", "KAZ.GOV"), "Almaty": ("kz.almaty",),
                "Moscow": ("ru.moscow", "RUS.GOV"), "Beijing": ("cn.beijing", "CHN.GOV")}  # fmt: skip
    seen: dict[str, set[str | None]] = {}
    for text, mentions in corpus_mentions.values():
        for needle in [*people, *capitals]:
            for n in range(text.count(needle)):
                m = at(mentions, text, needle, n)
                seen.setdefault(needle, set()).add(m.actor if m else None)
    for needle, actor in people.items():
        assert seen.get(needle) == {actor}, (needle, seen.get(needle))
    for needle, allowed in capitals.items():
        assert seen.get(needle) and seen[needle] <= set(allowed), (needle, seen.get(needle))
