"""Semantic search: vectors in the store, the dense ranker, RRF with BM25, and life without it."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from steppe.analyse import semantic
from steppe.analyse.search import keyword_ranker, rankers, search_items
from steppe.model import Item, Page, Span, VectorRow
from steppe.store import SQLiteStore

TEXTS = [
    ("teaser", "Heavy rainfall made the river burst its banks, flooding hundreds of homes in the"
               " eastern region."),
    ("teaser", "The central bank raised its key interest rate to curb rising consumer prices."),
    ("article", "The national football team won the regional championship after a penalty"
                " shootout."),
    ("article", "Parliament approved a new law on the registration of political parties."),
    ("teaser", "The wheat harvest fell sharply this year because of a long drought."),
]
FLOOD, BANK = TEXTS[0][1], TEXTS[1][1]


def make_store(path) -> SQLiteStore:
    store = SQLiteStore(path)
    text = "\n".join(t for _, t in TEXTS)
    items, at = [], 0
    for kind, body in TEXTS:
        items.append(Item(kind=kind, text=body, publisher="Test", spans=[Span(at, at + len(body))]))
        at += len(body) + 1
    store.add_page(Page(source="test://page", sha256=hashlib.sha256(text.encode()).hexdigest(),
                        text=text, kind="listing", items=items))
    return store


def item_id(store: SQLiteStore, text: str) -> str:
    return store.query("SELECT id FROM items WHERE text = ?", (text,))[0]["id"]


def test_fresh_store_has_the_vector_table(tmp_path):
    with make_store(tmp_path / "s.db") as store:
        assert store.query("SELECT count(*) AS n FROM item_vectors") == [{"n": 0}]


def test_without_vectors_search_is_bm25_alone(tmp_path):
    with make_store(tmp_path / "s.db") as store:
        assert semantic.stored_model(store) is None
        assert rankers(store) == [keyword_ranker]
        semantic.warm_up(store)  # nothing to warm: no vectors
        result = search_items(store, "interest rate")
        assert [h["id"] for h in result["hits"]] == [item_id(store, BANK)]
        assert result["total"] == 1 and result["total_is_exact"]


def test_without_the_extra_a_clear_message_and_bm25(tmp_path, monkeypatch):
    with make_store(tmp_path / "s.db") as store:
        # Vectors from a model this install lacks: the dense ranker must stay out of the way.
        store.set_vectors([VectorRow(item_id(store, FLOOD), "all-MiniLM-L6-v2", np.ones(2, dtype=np.float32))])
        for name, spec in list(semantic.MODELS.items()):
            monkeypatch.setitem(semantic.MODELS, name,
                                semantic.ModelSpec(spec.name, "steppe_no_such_module", spec.pip,
                                                   spec.load))
        assert semantic.installed_models() == [] and not semantic.available()
        with pytest.raises(semantic.SemanticUnavailable, match=r"pip install -e \"\.\[semantic\]\""):
            semantic.embed_items(store)
        assert rankers(store) == [keyword_ranker]
        assert search_items(store, "interest rate")["total"] == 1


def test_keyword_syntax_is_left_to_bm25():
    assert semantic.is_plain("floods damaged houses")
    assert semantic.is_plain("протесты в Казахстане")
    for q in ('"interest rate"', "bank*", "bank -central", "bank OR rate", "(bank)"):
        assert not semantic.is_plain(q)


# ---------------------------------------------------------------- with the extra installed

MODELS = semantic.installed_models()
needs_model = pytest.mark.skipif(not MODELS, reason=semantic.EXTRA_HINT)


@pytest.fixture(scope="module", params=MODELS or [None])
def embedded(request, tmp_path_factory):
    if request.param is None:
        pytest.skip(semantic.EXTRA_HINT)
    store = make_store(tmp_path_factory.mktemp("semantic") / "s.db")
    assert semantic.embed_items(store, request.param) == len(TEXTS)
    yield store, request.param
    store.close()


@needs_model
def test_embedding_is_stored_once_per_item_and_resumes(embedded):
    store, model = embedded
    rows = store.query("SELECT model, dim, length(vector) AS size FROM item_vectors")
    assert len(rows) == len(TEXTS)
    assert {(r["model"], r["dim"], r["size"]) for r in rows} == {(model, 384, 384 * 4)}
    assert semantic.embed_items(store, model) == 0  # nothing left to do
    assert semantic.stored_model(store) == model
    semantic.warm_up(store)
    assert model in semantic.loaded_models()


@needs_model
def test_dense_finds_a_paraphrase_sharing_no_keyword(embedded):
    store, _ = embedded
    for query, text in (("floods damaged houses", FLOOD),
                        ("monetary policy tightening against inflation", BANK)):
        assert keyword_ranker(store, query, {}).ids == []  # BM25 alone finds nothing
        assert semantic.dense_ranker(store, query, {}).ids[0] == item_id(store, text)
        hits = search_items(store, query)["hits"]
        assert hits and hits[0]["id"] == item_id(store, text)
        assert hits[0]["snippet_text"]  # a dense-only hit still reads as text


@needs_model
def test_hybrid_keeps_keyword_hits_and_applies_filters(embedded):
    store, _ = embedded
    assert len(rankers(store)) == 2
    hits = search_items(store, "interest rate")["hits"]
    assert hits[0]["id"] == item_id(store, BANK)
    teasers = search_items(store, "floods damaged houses", kind="teaser")["hits"]
    assert teasers[0]["id"] == item_id(store, FLOOD)
    assert all(h["kind"] == "teaser" for h in teasers)
    articles = search_items(store, "floods damaged houses", kind="article")["hits"]
    assert item_id(store, FLOOD) not in {h["id"] for h in articles}
    assert all(h["kind"] == "article" for h in articles)


@needs_model
def test_dense_does_not_return_the_whole_store(embedded):
    store, _ = embedded
    ids = semantic.dense_ranker(store, "floods damaged houses", {}).ids
    assert 1 <= len(ids) < len(TEXTS)


@needs_model
def test_cross_lingual_query_with_the_multilingual_model(embedded):
    store, model = embedded
    if model != "multilingual-e5-small-q4":
        pytest.skip(f"{model} is English-only")
    assert semantic.dense_ranker(store, "наводнение затопило дома", {}).ids[0] == item_id(store, FLOOD)
