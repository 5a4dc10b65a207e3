"""Themes: the lexicon classifier explains itself, uses actor cues, and is measured on a labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.analyse.themes import (
    THEMES,
    classify,
    evaluate,
    find_paragraphs,
    format_report,
    item_themes,
    load_labels,
    load_lexicon,
    score_themes,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "tests" / "data" / "themes_labels.yaml"


def themes_of(text: str, mentions=()) -> set[str]:
    return {s.theme for s in classify(text, mentions)}


def test_lexicon_covers_the_eight_themes():
    lex = load_lexicon()
    assert set(lex.patterns) == set(THEMES)
    assert lex.threshold > 0


@pytest.mark.parametrize(("text", "expected"), [
    ("The new pipeline will carry gas from Turkmenistan to China.", {"energy", "china"}),
    ("Parliament passed the constitutional reform before the elections.", {"domestic"}),
    ("Troops crossed the border and the invasion began.", {"security"}),
    ("Remittances from labour migrants fell as the rouble weakened.", {"migration", "economy"}),
    ("The law makes the state language compulsory in schools.", {"identity"}),
    ("NATO and the European Union discussed sanctions.", {"west", "economy"}),
    ("The weather in the capital was mild on Tuesday.", set()),
])
def test_classify_examples(text, expected):
    assert themes_of(text) == expected


def test_cues_explain_the_score_with_offsets():
    text = "Beijing and Washington traded accusations."
    scores = {s.theme: s for s in score_themes(text)}
    for theme in ("china", "west"):
        assert scores[theme].score == sum(c.weight for c in scores[theme].cues)
        for cue in scores[theme].cues:
            assert text[cue.start:cue.end].lower().startswith(cue.term.rstrip("*").lower()[:4])


def test_capitalised_acronyms_keep_their_case():
    assert "west" not in themes_of("Give us a moment and let us think about it.")
    assert "west" in themes_of("The US envoy arrived.")


def test_a_repeated_word_counts_once_and_longer_terms_win():
    once = {s.theme: s.score for s in score_themes("gas")}["energy"]
    assert {s.theme: s.score for s in score_themes("gas gas gas gas")}["energy"] == once
    cues = {s.theme: s.cues for s in score_themes("the security services")}["security"]
    assert [c.term for c in cues] == ["security services"]


def test_actor_cues_add_themes_the_words_do_not_name():
    text = "Xi received the delegation."
    assert "china" not in themes_of(text)
    assert "china" in themes_of(text, [{"start": 0, "end": 2, "actor": "cn.xi", "country": "CHN"}])


def test_item_themes_reads_the_store(tmp_path):
    from test_brief import seed_store

    store, items = seed_store(tmp_path / "t.db")
    assert {"energy", "china"} <= {s.theme for s in item_themes(store, items["agency_b"].id)}
    store.close()


def test_labelled_set_precision_and_recall(capsys):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the labelled paragraphs live there")
    labels = load_labels(LABELS)
    texts = find_paragraphs(labels, CORPUS)
    missing = set(labels) - set(texts)
    assert not missing, f"labelled prefixes not found in the corpus: {missing}"
    report = evaluate(labels, texts)
    with capsys.disabled():
        print("\n" + format_report(report))
    assert report["n"] >= 50
    assert report["micro"]["precision"] >= 0.8 and report["micro"]["recall"] >= 0.8
    for theme, m in report["themes"].items():
        if m["tp"] + m["fn"] >= 3:
            assert m["recall"] >= 0.6, (theme, m)
