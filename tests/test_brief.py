"""Briefs: every sentence is a cited extract; events by salience; disagreements; PDF renders;
polishing through a local fake OpenAI-compatible server refuses uncited output."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from steppe.analyse.brief import (
    PolishRefused,
    build_brief,
    check_citations,
    mmr,
    polish,
    relation_svg,
    split_sentences,
    stance,
    to_html,
    to_markdown,
    to_pdf,
)
from steppe.model import Event, EventActor, Item, Mention, Page, Span
from steppe.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

# Invented texts (not from the corpus): a small evidence base whose every fact the tests know.
TEXTS = {
    "thinktank": ("Think Tank A", "2024-02-10", "Ties under strain?",
                  "Many commentators say Kazakhstan is distancing itself from Russia. "
                  "Yet economic ties with Moscow have deepened since 2022, and trade will keep growing."),
    "agency_b": ("Agency B", "2024-03-05", "Gas transit deal",
                 "Kazakhstan and Russia signed a gas transit agreement in Astana on 5 March. "
                 "The pipeline deal could raise Russian gas exports to China."),
    "agency_c": ("Agency C", "2023-11-09", "Putin in Astana",
                 "Russian President Putin met Kazakh President Tokayev in Astana on 9 November. "
                 "Putin called for stronger military ties between the two armies."),
    "football": ("Sports Daily", "2024-04-01", "Season opens",
                 "The football league starts a new season in April with twenty clubs from Brazil."),
}
NAMES = {"Kazakhstan": ("KAZ", "KAZ"), "Kazakh": ("KAZ", "KAZ"), "Astana": ("kz.astana", "KAZ"),
         "Tokayev": ("kz.tokayev", "KAZ"), "Russia": ("RUS", "RUS"), "Russian": ("RUS", "RUS"),
         "Moscow": ("RUS.GOV", "RUS"), "Putin": ("ru.putin", "RUS"), "China": ("CHN", "CHN")}


def _mentions(text: str, item_id: str) -> list[Mention]:
    out = []
    for name, (actor, country) in NAMES.items():
        for m in re.finditer(rf"\b{name}\b", text):
            out.append(Mention(m.start(), m.end(), name, "GPE", actor=actor, score=0.9, country=country,
                               item_id=item_id))
    return out


def _event(item: Item, sentence: str, *, id: str, type: str, quad: str, intensity: float,
           src: tuple[str, str, str], tgt: tuple[str, str, str], date: str | None,
           hypothetical: bool = False) -> Event:
    start = item.text.index(sentence)
    return Event(type=type, quad=quad, intensity=intensity,
                 source=EventActor([src[0]], src[1], countries=[src[2]]),
                 target=EventActor([tgt[0]], tgt[1], countries=[tgt[2]]),
                 evidence_start=start, evidence_end=start + len(sentence), evidence=sentence,
                 date=date, date_precision="day" if date else None, confidence=0.8,
                 hypothetical=hypothetical, item_id=item.id, id=id)


def add_page(store: SQLiteStore, source: str, texts: dict[str, tuple[str, str, str, str]]) -> dict[str, Item]:
    """One listing page holding the given items, stored through the store API."""
    parts, items, offset = [], {}, 0
    for key, (publisher, date, title, text) in texts.items():
        item = Item(kind="teaser", text=text, title=title, published=date, published_precision="day",
                    publisher=publisher, url=f"https://example.org/{key}",
                    spans=[Span(offset, offset + len(text))])
        parts.append(text)
        items[key] = item
        offset += len(text) + 2
    page_text = "\n\n".join(parts)
    store.add_page(Page(source=source, sha256=hashlib.sha256(page_text.encode()).hexdigest(),
                        text=page_text, kind="listing", items=list(items.values())))
    return items


def seed_store(path: Path) -> tuple[SQLiteStore, dict[str, Item]]:
    store = SQLiteStore(path)
    items = add_page(store, "mem://listing", TEXTS)
    events = {
        "agency_b": [_event(items["agency_b"], "Kazakhstan and Russia signed a gas transit agreement in "
                            "Astana on 5 March.", id="ev-deal", type="COOPERATE",
                            quad="material_cooperation", intensity=6.0, src=("KAZ", "Kazakhstan", "KAZ"),
                            tgt=("RUS", "Russia", "RUS"), date="2024-03-05")],
        "agency_c": [_event(items["agency_c"], "Russian President Putin met Kazakh President Tokayev in "
                            "Astana on 9 November.", id="ev-meet", type="CONSULT",
                            quad="verbal_cooperation", intensity=4.0, src=("ru.putin", "Putin", "RUS"),
                            tgt=("kz.tokayev", "Tokayev", "KAZ"), date="2023-11-09"),
                     _event(items["agency_c"], "Putin called for stronger military ties between the two "
                            "armies.", id="ev-maybe", type="MOBILIZE", quad="material_conflict",
                            intensity=-6.0, src=("ru.putin", "Putin", "RUS"),
                            tgt=("KAZ", "Kazakhstan", "KAZ"), date="2023-11-09", hypothetical=True)],
    }
    for key, item in items.items():
        store.set_enrichment(item.id, _mentions(item.text, item.id), events.get(key, []), "test")
    return store, items


@pytest.fixture
def seeded(tmp_path):
    store, items = seed_store(tmp_path / "brief.db")
    yield store, items
    store.close()


def assert_resolvable(store, brief) -> None:
    """Every extract is its item's text at [start, end) and cites that item's numbered source."""
    sources = {s.n: s for s in brief.sources}
    assert brief.extracts(), "the brief has no extracts"
    for x in brief.extracts():
        assert x.cite in sources, x
        source = sources[x.cite]
        assert source.item_id == x.item_id
        item = store.get_item(x.item_id)
        assert item.text[x.start:x.end] == x.text
        assert (source.publisher, source.title, source.date, source.url) == (
            item.publisher, item.title, item.published, item.url)


# ---------------------------------------------------------------- building


def test_every_sentence_is_a_cited_extract(seeded):
    store, _ = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"])
    assert_resolvable(store, brief)
    assert "Sports Daily" not in brief.publishers  # off-subject items are not cited
    assert sum(brief.publishers.values()) == len(brief.sources)


def test_key_events_by_date_and_hypothetical_left_out(seeded):
    store, items = seeded
    brief = build_brief(store, actors=["Kazakhstan", "Russia"])
    assert [e.id for e in brief.events] == ["ev-meet", "ev-deal"]  # by date, not by salience
    assert brief.events[1].date == "2024-03-05" and brief.events[1].dated_by == "event"
    assert brief.events[1].evidence[0].item_id == items["agency_b"].id
    assert brief.events[1].salience > brief.events[0].salience
    assert brief.other_events == []


def test_undated_events_by_relevance_and_events_off_the_pair_apart(seeded):
    store, _ = seeded
    extra = add_page(store, "mem://more", {
        "war": ("Agency D", None, "Strikes", "Russia struck Ukraine's power grid overnight, officials said."),
        "talks": ("Agency E", None, "Talks", "Kazakhstan and Russia held talks on water sharing, "
                                             "a ministry statement said."),
    })
    store.set_enrichment(extra["war"].id, _mentions(extra["war"].text, extra["war"].id), [
        _event(extra["war"], "Russia struck Ukraine's power grid overnight, officials said.", id="ev-war",
               type="FIGHT", quad="material_conflict", intensity=-9.5, src=("RUS", "Russia", "RUS"),
               tgt=("UKR", "Ukraine", "UKR"), date=None)], "test")
    store.set_enrichment(extra["talks"].id, _mentions(extra["talks"].text, extra["talks"].id), [
        _event(extra["talks"], extra["talks"].text, id="ev-talks", type="CONSULT",
               quad="verbal_cooperation", intensity=1.0, src=("KAZ", "Kazakhstan", "KAZ"),
               tgt=("RUS", "Russia", "RUS"), date=None)], "test")
    brief = build_brief(store, actors=["KAZ", "RUS"])
    # Dated by date, then the undated one; the war (Russia and Ukraine only) under its own heading,
    # although it is the most intense event of all.
    assert [e.id for e in brief.events] == ["ev-meet", "ev-deal", "ev-talks"]
    assert [e.id for e in brief.other_events] == ["ev-war"]
    assert brief.other_events[0].relevance == 1 and brief.events[2].relevance == 2
    md = to_markdown(brief)
    key, other = md.split("## Key events", 1)[1].split("### Other events, involving only one of "
                                                       "Kazakhstan and Russia", 1)
    assert "Ukraine" not in key and "Russia struck Ukraine" in other.split("\n## ", 1)[0]
    assert "Other events, involving only one of Kazakhstan and Russia" in to_html(brief)
    # Every cited sentence is numbered in reading order, the other events' too.
    cites = [x.cite for x in brief.extracts()]
    assert sorted(set(cites)) == list(range(1, len(brief.sources) + 1))
    # A brief on one actor has no "other" events: all of Russia's are key.
    assert {e.id for e in build_brief(store, actors=["RUS"]).events} >= {"ev-war", "ev-talks"}


def test_sources_without_a_title_show_the_start_of_their_text(seeded):
    store, _ = seeded
    extra = add_page(store, "mem://untitled", {
        "untitled": ("Agency F", "2024-03-06", None, "Kazakhstan and Russia extended the gas transit "
                     "agreement signed in Astana for another ten years, officials said on Wednesday."),
    })
    store.set_enrichment(extra["untitled"].id, _mentions(extra["untitled"].text, extra["untitled"].id),
                         [], "test")
    brief = build_brief(store, actors=["KAZ", "RUS"], about="gas transit agreement")
    source = next(s for s in brief.sources if s.item_id == extra["untitled"].id)
    assert source.title is None
    assert source.display_title == ("Kazakhstan and Russia extended the gas transit agreement signed in "
                                    "Astana for…")
    assert f"untitled, “{source.display_title}”" in to_markdown(brief)


def test_relation_curve_and_chart(seeded):
    store, _ = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"])
    periods = {p["period"]: p for p in brief.relation["periods"]}
    assert periods["2023-11"]["count"] == 1 and periods["2024-03"]["intensity"] == 6.0
    svg = relation_svg(brief.relation)
    assert svg.startswith("<svg") and svg.count("<rect") == len(brief.relation["periods"])


def test_period_filter_keeps_only_items_and_events_inside_it(seeded):
    store, items = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"], since="2024-01", until="2024-02")
    assert {x.item_id for x in brief.extracts()} == {items["thinktank"].id}
    assert brief.events == []


def test_themes_group_extracts_and_disagreements_face_each_other(seeded):
    store, items = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"])
    by_theme = {t.theme: [x.text for x in t.extracts] for t in brief.themes}
    assert any("pipeline deal" in s for s in by_theme.get("energy", []))
    assert brief.disagreements
    loose, tight = brief.disagreements[0]
    assert loose.stance == -1 and tight.stance == 1
    assert "distancing" in loose.text


def test_about_question_ranks_matching_sentences(seeded):
    store, _ = seeded
    brief = build_brief(store, about="gas pipeline exports")
    assert_resolvable(store, brief)
    first = max(brief.extracts(), key=lambda x: x.score)
    assert "gas" in first.text


def test_brief_needs_a_subject(seeded):
    from steppe.analyse import InvalidParameter

    with pytest.raises(InvalidParameter):
        build_brief(seeded[0])


# ---------------------------------------------------------------- text tools


def test_sentence_splitter_keeps_offsets_and_abbreviations():
    text = "Dr. Smith met Mr. Jones in the U.S. capital. They talked.\nA new line starts here!"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Dr. Smith met Mr. Jones in the U.S. capital.", "They talked.",
                                             "A new line starts here!"]


def test_one_sentence_splitter_for_events_and_briefs():
    from steppe.enrich import events

    assert split_sentences is events.split_sentences  # briefs quote the spans events are coded on
    text = "Токаев встретился с Путиным. Переговоры закончились…  Итог неясен."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Токаев встретился с Путиным.", "Переговоры закончились…", "Итог неясен."]


def test_stance_cues_and_negation():
    assert stance("Economic ties with Moscow have deepened.")[0] == 1
    assert stance("Astana is distancing itself from Moscow.")[0] == -1
    assert stance("Tokayev is no longer reliant on Putin.")[0] == -1
    assert stance("The weather was fine.")[0] == 0


def test_mmr_prefers_diverse_picks():
    vectors = {0: {"gas": 1.0}, 1: {"gas": 1.0}, 2: {"army": 1.0}}
    assert mmr([0, 1, 2], {0: 1.0, 1: 0.99, 2: 0.8}, vectors, 2) == [0, 2]


# ---------------------------------------------------------------- rendering


def test_markdown_and_html_show_each_extract_with_its_citation_and_span(seeded):
    store, _ = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"])
    md = to_markdown(brief, base_url="http://127.0.0.1:8000")
    page = to_html(brief, base_url="http://127.0.0.1:8000")
    for x in brief.extracts():
        assert f"{x.text} [{x.cite}]" in md
        assert f"{x.item_id}:{x.start}-{x.end}" in md
    assert "<svg" in page and page.count('class=cite') == len(brief.extracts())
    for s in brief.sources:
        assert f"id=ref-{s.n}>" in page and s.url in page
    # Every bullet under "what the sources argue" is an extract with a citation.
    argue = md.split("## What the sources argue")[1].split("## Sources")[0]
    for line in argue.splitlines():
        if line.startswith("- ") or line.startswith("| ") and "---" not in line and "ties" not in line:
            assert re.search(r"\[\d+\]", line), line


def test_span_links_point_at_the_page_span(seeded):
    store, _ = seeded
    brief = build_brief(store, actors=["KAZ", "RUS"])
    for x in brief.extracts():
        page_text = store.page_text(x.page_id)
        assert page_text[x.page_start:x.page_end] == x.text


def test_pdf_renders_a_non_blank_page(seeded, tmp_path):
    pytest.importorskip("weasyprint")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    from PIL import Image

    store, _ = seeded
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(to_pdf(build_brief(store, actors=["KAZ", "RUS"])))
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    png = next(tmp_path.glob("p*.png"))
    grey = Image.open(png).convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 0.005 * grey.width * grey.height, "the rendered page is blank"


def test_cli_brief_writes_html(seeded, tmp_path):
    from steppe.cli import main

    store, _ = seeded
    out = tmp_path / "b.html"
    result = CliRunner().invoke(main, ["brief", "--db", store.path, "--actors", "KAZ", "RUS",
                                       "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "<h1>Brief: Kazakhstan – Russia</h1>" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- polishing


class _FakeLLM:
    """A real HTTP server on 127.0.0.1 answering chat completions with a canned text."""

    def __init__(self) -> None:
        self.reply = ""
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append({"path": self.path, "json": json.loads(body)})
                data = json.dumps({"choices": [{"message": {"role": "assistant",
                                                            "content": fake.reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_llm():
    server = _FakeLLM()
    yield server
    server.close()


def test_polish_is_off_by_default(seeded, monkeypatch):
    monkeypatch.delenv("STEPPE_LLM_URL", raising=False)
    brief = build_brief(seeded[0], actors=["KAZ", "RUS"])
    assert polish(brief).summary == []


def test_polish_keeps_a_fully_cited_summary(seeded, fake_llm):
    brief = build_brief(seeded[0], actors=["KAZ", "RUS"])
    fake_llm.reply = "Kazakhstan and Russia signed a transit deal [1]. Ties look closer [2, 1]."
    polish(brief, url=fake_llm.url, model="tiny")
    assert [s["cites"] for s in brief.summary] == [[1], [1, 2]]
    assert fake_llm.requests[0]["path"] == "/v1/chat/completions"
    prompt = fake_llm.requests[0]["json"]["messages"][1]["content"]
    assert all(f"[{x.cite}] {x.text}" in prompt for x in brief.extracts())
    assert "generated by tiny" in to_markdown(brief)


@pytest.mark.parametrize("reply", [
    "Kazakhstan and Russia signed a transit deal [1]. Relations will surely improve.",
    "Relations are warm [99].",
    "",
])
def test_polish_refuses_a_sentence_without_a_valid_citation(seeded, fake_llm, reply):
    brief = build_brief(seeded[0], actors=["KAZ", "RUS"])
    fake_llm.reply = reply
    with pytest.raises(PolishRefused):
        polish(brief, url=fake_llm.url)
    assert brief.summary == []


def test_check_citations_accepts_lists_of_numbers():
    assert check_citations("A [1; 2]. B [3].", {1, 2, 3})[0]["cites"] == [1, 2]


# ---------------------------------------------------------------- the corpus


def test_corpus_brief_kaz_rus(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus tests need the shared data beside the repo")
    try:
        from steppe.pipeline import enrich_items, ingest
    except ImportError as exc:
        pytest.skip(f"the enrichment pipeline is not available: {exc}")
    store = SQLiteStore(tmp_path / "corpus.db")
    try:
        ingest([str(CORPUS)], store)
        enrich_items(store)
    except (ImportError, OSError) as exc:
        pytest.skip(f"enrichment cannot run here: {exc}")
    brief = build_brief(store, actors=["KAZ", "RUS"])
    assert_resolvable(store, brief)
    assert brief.events and brief.themes and brief.disagreements
    publishers = set(brief.publishers)
    assert {"Chatham House", "Carnegie Endowment for International Peace"} <= publishers
    assert len(brief.themes) >= 4
    page = to_html(brief)
    assert page.count("class=cite") == len(brief.extracts())
    store.close()
