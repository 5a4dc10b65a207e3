"""End-to-end in real headless Chromium: search, read an item, follow an actor, click a relations bar.

Needs the Debian package ``chromium`` (/usr/bin/chromium) and the Python
package ``playwright`` (its own browser downloads are not used). Starts the
real server (uvicorn) on a free 127.0.0.1 port over a seeded database, and
saves a screenshot of each page: in a temporary folder, or in docs/screenshots/
for the README with ``STEPPE_SCREENSHOTS=docs/screenshots`` (a test run leaves
the checkout as it found it).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from steppe.analyse import semantic
from steppe.model import Item, Span
from steppe.model import Page as StoredPage
from workbench_seed import HOSTILE_HTML, seed

CHROMIUM = os.environ.get("STEPPE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / os.environ.get("STEPPE_SCREENSHOTS", str(Path(tempfile.gettempdir()) / "steppe-screenshots"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)",
                allow_module_level=True)
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:
    pytest.skip("browser tests need the Python package playwright (pip install playwright)",
                allow_module_level=True)

pytestmark = pytest.mark.slow

# Records what hostile content would do if it ever ran: dialogs are caught by Playwright,
# CSP violations and page errors by these listeners (installed before any page script).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


SERVED: dict[str, Path] = {}  # the database the module's server runs on
UNTITLED = ("Grain exports from the northern steppe to Russia doubled this autumn, the ministry said, "
            "while rail tariffs for transit rose for the third time this year.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "steppe.db"
    ids = seed(db)
    SERVED["db"] = db
    hostile = tmp / "hostile.html"
    hostile.write_text(HOSTILE_HTML)
    from steppe.pipeline import ingest
    from steppe.store import SQLiteStore

    with SQLiteStore(db) as store:  # the real pipeline, as `steppe ingest` would run it
        assert ingest([str(hostile)], store).pages_added == 1
        # A teaser without a title, as listing pages give: its title must be its opening words.
        store.add_page(StoredPage(source="listing.html", sha256="0" * 64, text=UNTITLED, kind="listing",
                            items=[Item(kind="teaser", text=UNTITLED, spans=[Span(0, len(UNTITLED))])]))
        if semantic.available():  # vectors, so searches meet semantic neighbours as on a real install
            semantic.embed_items(store)
    port = free_port()
    code = ("import sys, uvicorn; from steppe.serve.app import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/api/stats", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            pytest.fail(f"the server did not start: {out[-2000:]}")
        time.sleep(0.1)
    yield base, ids
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    pg = context.new_page()
    watch = Watch()
    pg.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.watch = watch
    yield pg
    context.close()


def open_view(page: Page, url: str, name: str) -> None:
    page.goto(url)
    wait_view(page, name)


def wait_view(page: Page, name: str) -> None:
    # Not wait_for_function: its string predicate needs eval, which the app's CSP forbids.
    page.locator(f"body[data-ready='{name}']").wait_for(state="attached")
    expect(page.locator(f".view-{name} h1")).to_be_visible()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_clean(page: Page) -> None:
    assert page.watch.dialogs == [], f"a dialog opened: {page.watch.dialogs}"
    assert page.evaluate("window.__violations") == []
    assert page.watch.errors == []
    assert page.evaluate("window.__pwned") is None


def test_search_open_item_follow_actor(server, page):
    base, ids = server
    open_view(page, f"{base}/#/search", "search")
    page.get_by_label("Search the evidence base").fill("Tokayev")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Tokayev"))
    wait_view(page, "search")
    hits = page.locator("ol.hits > li")
    expect(hits.locator(".badge.match-keyword")).to_have_count(2)  # the two items with the word
    expect(page.locator(".summary")).to_contain_text("2 items match")
    expect(hits.first.locator("mark").first).to_have_text("Tokayev")
    expect(page.locator(".facets")).to_contain_text("Crisis Group")
    shoot(page, "search")

    page.get_by_role("link", name="Central Asia: November 2023").click()
    wait_view(page, "item")
    expect(page.locator("h1")).to_have_text("Central Asia: November 2023")
    expect(page.locator(".item-text .evidence")).not_to_have_count(0)
    expect(page.locator(".events > li")).to_have_count(4)
    page.get_by_role("button", name="Show in text").nth(1).click()
    expect(page.locator("#evidence-1")).to_be_focused()
    shoot(page, "item")

    page.locator(".item-text a.entity", has_text="Putin").first.click()
    wait_view(page, "actor")
    assert page.evaluate("location.hash") == "#/actor/ru.putin"
    expect(page.locator(".view-actor .events > li")).not_to_have_count(0)
    expect(page.locator(".view-actor")).to_contain_text("Mentioned with")
    page.wait_for_selector(".chart svg")
    shoot(page, "actor")
    assert_clean(page)


def test_relations_chart_bar_click_lists_events(server, page):
    base, _ = server
    open_view(page, f"{base}/#/relations?a=KAZ&b=RUS", "relations")
    bar = page.locator('#relations-chart path[aria-label*="2023-11"]').first
    bar.wait_for()
    bar.click()
    heading = page.locator("#period-events h2")
    expect(heading).to_contain_text("2023-11: 2 event(s)")
    events = page.locator("#period-events .events > li")
    expect(events).to_have_count(2)
    expect(page.locator("#period-events")).to_contain_text("Putin 9 Nov met with Tokayev in Astana")
    shoot(page, "relations")
    # The same drill-down works from the keyboard through the table.
    page.locator("details summary", has_text="Figures as a table").click()
    page.get_by_role("button", name="show 1").first.focus()
    page.keyboard.press("Enter")
    expect(heading).to_contain_text("2023-10: 1 event(s)")
    assert_clean(page)


def test_timeline_and_network(server, page):
    base, _ = server
    open_view(page, f"{base}/#/timeline", "timeline")
    dates = page.locator(".timeline time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates) and len(dates) >= 5
    expect(page.locator(".view-timeline")).not_to_contain_text("If Russia cannot achieve")  # hypothetical
    shoot(page, "timeline")
    open_view(page, f"{base}/#/network", "network")
    page.wait_for_selector("#network-graph canvas")
    page.wait_for_timeout(300)  # let the layout settle before the screenshot
    assert page.evaluate("document.querySelectorAll('#network-graph canvas').length") >= 1
    shoot(page, "network")
    assert_clean(page)


def test_network_layout_labels_types_and_cluster(server, page):
    base, _ = server
    open_view(page, f"{base}/#/network", "network")
    graph = page.locator("#network-graph[data-layout]")
    graph.wait_for(state="attached")
    assert graph.get_attribute("data-layout") == "fcose"  # the vendored force layout loaded
    nodes, labelled = int(graph.get_attribute("data-nodes")), int(graph.get_attribute("data-labelled"))
    assert 0 < labelled <= min(nodes, 12)
    assert graph.get_attribute("data-overlaps") == "0"  # no drawn label lies over another
    # Filter by actor type: without people, fewer actors.
    page.get_by_label("people", exact=True).uncheck()
    page.wait_for_url(re.compile(r"hide=person"))
    wait_view(page, "network")
    fewer = page.locator("#network-graph[data-layout]")
    fewer.wait_for(state="attached")
    # The view may report ready before the filtered graph replaces the old one on a loaded
    # machine: wait for the redraw (it still fails if the node count never changes).
    expect(fewer).not_to_have_attribute("data-nodes", str(nodes), timeout=20_000)
    assert int(fewer.get_attribute("data-nodes")) < nodes
    page.get_by_label("people", exact=True).check()
    page.wait_for_url(lambda url: "hide=" not in url)
    wait_view(page, "network")
    # The cluster around one actor: it and its neighbours, all named.
    page.get_by_label("Around").select_option("ru.putin")
    page.wait_for_url(re.compile(r"focus=ru.putin"))
    wait_view(page, "network")
    around = page.locator("#network-graph[data-layout]")
    around.wait_for(state="attached")
    expect(page.locator(".view-network .summary")).to_contain_text("linked to")
    expect(page.locator(".view-network .summary a.actor-link")).to_have_text("Vladimir Putin")
    assert around.get_attribute("data-labelled") == around.get_attribute("data-nodes")
    assert int(around.get_attribute("data-nodes")) < nodes
    shoot(page, "network-cluster")
    assert_clean(page)


def test_search_tells_matches_from_neighbours_and_titles_from_the_start(server, page):
    base, _ = server
    open_view(page, f"{base}/#/search?q=grain", "search")
    hit = page.locator("ol.hits > li").first
    expect(hit.locator("h3 a.untitled")).to_have_text(
        "Grain exports from the northern steppe to Russia doubled this autumn, the…")
    open_view(page, f"{base}/#/search?q=transit", "search")
    expect(page.locator("#q")).to_have_value("transit")  # the new view, not the last one
    for title in page.locator("ol.hits h3 a.untitled").all_inner_texts():
        assert UNTITLED.startswith(title.rstrip("…"))  # the start of the text, never a snippet
    open_view(page, f"{base}/#/search?q=energy", "search")
    expect(page.locator("#q")).to_have_value("energy")
    page.get_by_label("Show").select_option("keyword")
    page.wait_for_url(re.compile(r"mode=keyword"))
    wait_view(page, "search")
    hits = page.locator("ol.hits > li")
    expect(hits.locator(".badge.match-semantic")).to_have_count(0)
    matches = hits.count()
    said = f"{matches} item matches" if matches == 1 else f"{matches} items match"
    expect(page.locator(".summary")).to_have_text(said)
    if not semantic.available():
        pytest.skip(semantic.EXTRA_HINT)
    page.get_by_label("Show").select_option("both")
    page.wait_for_url(lambda url: "mode=" not in url)
    expect(page.locator(".summary")).to_contain_text("semantic neighbour")
    expect(hits.locator(".badge.match-keyword")).to_have_count(matches)
    neighbours = hits.locator(".badge.match-semantic").count()
    assert neighbours > 0  # a small store: some items are near in meaning without the word
    expect(page.locator(".summary")).to_contain_text(f"{said} · {neighbours} semantic")
    for hit in page.locator("ol.hits > li.hit-semantic").all():
        expect(hit.locator("mark")).to_have_count(0)  # a neighbour has nothing to highlight
    shoot(page, "search-modes")
    page.get_by_label("Show").select_option("semantic")
    page.wait_for_url(re.compile(r"mode=semantic"))
    wait_view(page, "search")
    expect(page.locator(".summary")).to_contain_text("semantic neighbour")
    expect(hits.locator(".badge.match-keyword")).to_have_count(0)
    assert_clean(page)


def test_hostile_pages_run_nothing(server, page):
    base, ids = server
    # The seeded hostile item: script in the title, onerror in the text and the actor id, javascript: URL.
    open_view(page, f"{base}/#/search?q=hostile", "search")
    expect(page.locator("ol.hits > li")).not_to_have_count(0)
    open_view(page, f"{base}/#/item/{ids['evil']}", "item")
    expect(page.locator("h1")).to_contain_text("<script>")  # shown as text
    page.locator(".item-text a.entity").first.click()
    wait_view(page, "actor")
    # The page ingested through the real pipeline.
    open_view(page, f"{base}/#/search?q=quarrymen", "search")
    page.locator("ol.hits a").first.click()
    wait_view(page, "item")
    for url in (f"{base}/#/network", f"{base}/#/timeline", f"{base}/#/actors"):
        open_view(page, url, url.rsplit("/", 1)[1])
    open_view(page, f"{base}/#/item/{ids['evil']}", "item")
    page.locator("a, button").evaluate_all("els => els.forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))")
    injected = page.evaluate("""() => ({
        scripts: [...document.scripts].filter(s => !s.src).length,
        imgs: document.querySelectorAll('main img').length,
        svgOnload: document.querySelectorAll('[onload], [onerror], [onclick], [onmouseover]').length,
        jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
    })""")
    assert injected == {"scripts": 0, "imgs": 0, "svgOnload": 0, "jsLinks": 0}
    assert_clean(page)


def test_keyboard_and_phone_width(server, page):
    base, ids = server
    open_view(page, f"{base}/#/search", "search")
    page.locator("#skip").focus()  # the first stop in tab order, visible when focused
    expect(page.locator("#skip")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for _ in range(12):  # the search box is reachable by keyboard, and every control has a label
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    expect(page.locator("#q")).to_be_focused()
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input, select')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length""")
    assert unlabeled == 0
    page.set_viewport_size({"width": 390, "height": 844})
    for url, name in ((f"{base}/#/item/{ids['crisiswatch']}", "item"), (f"{base}/#/search?q=Kazakhstan", "search"),
                      (f"{base}/#/relations?a=KAZ&b=RUS", "relations")):
        open_view(page, url, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at phone width"
    assert_clean(page)


def test_brief_page_cites_every_sentence(server, page):
    base, ids = server
    open_view(page, f"{base}/#/brief", "brief")
    page.get_by_label("Actors").fill("KAZ RUS")
    page.get_by_role("button", name="Make brief").click()
    page.wait_for_url(re.compile(r"#/brief\?actors=KAZ"))
    wait_view(page, "brief")
    expect(page.locator("h1")).to_contain_text("Kazakhstan")
    events = page.locator("#brief-key-events > li")
    expect(events).not_to_have_count(0)
    dates = events.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates)  # a timeline, oldest first
    # Events between Kazakhstan and Russia are key; Macron's visit involves only one of them.
    expect(page.locator("#brief-key-events")).not_to_contain_text("Macron")
    expect(page.locator("#brief-other-h")).to_contain_text("involving only one of Kazakhstan and Russia")
    expect(page.locator("#brief-other-events")).to_contain_text("Macron")
    # Every extract carries its citation as a link to the item reader, and a link to its passage.
    extracts = page.locator("q.extract")
    cites = page.locator("a.cite")
    assert extracts.count() >= 5 and cites.count() == extracts.count()
    assert page.locator(".span-link").count() == extracts.count()
    sources = page.locator("ol.sources > li")
    numbers = {int(t.strip("[]")) for t in cites.all_inner_texts()}
    assert numbers == set(range(1, sources.count() + 1))
    for href in cites.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert re.fullmatch(r"#/item/[0-9a-f]+\?start=\d+&end=\d+", href), href
    expect(page.locator(".view-brief")).to_contain_text("<script>")  # the hostile source, shown as text
    page.wait_for_selector("#brief-relation-chart svg")
    for fmt in ("md", "html", "pdf"):
        link = page.locator(f"a.download[href*='format={fmt}']")
        expect(link).to_have_count(1)
        assert "actors=KAZ&actors=RUS" in link.get_attribute("href")
    shoot(page, "brief")

    # A citation opens the item with the cited sentence marked and focused.
    quote = "Putin 9 Nov met with Tokayev in Astana to discuss energy and transit."
    page.locator(".evidence-quote", has_text=quote).locator("a.cite").click()
    wait_view(page, "item")
    expect(page.locator("h1")).to_have_text("Central Asia: November 2023")
    expect(page.locator("#cited")).to_be_focused()
    assert "".join(page.locator("mark.cited").all_inner_texts()) == quote
    page.go_back()
    wait_view(page, "brief")
    page.locator(".evidence-quote", has_text=quote).locator(".span-link").click()
    wait_view(page, "page")
    expect(page.locator("#span")).to_have_text(quote)
    assert_clean(page)


def test_brief_downloads_and_html_run_nothing(server, page):
    base, _ = server
    r = page.request.get(f"{base}/api/brief?actors=KAZ&actors=RUS&format=pdf")
    assert r.ok and r.headers["content-type"] == "application/pdf" and r.body().startswith(b"%PDF-")
    page.goto(f"{base}/api/brief?actors=KAZ&actors=RUS&format=html")
    expect(page.locator("h1")).to_contain_text("Kazakhstan")
    expect(page.locator("body")).to_contain_text("<script>")  # shown, never run
    page.locator("a").evaluate_all("els => els.forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))")
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # inline styles apply
    assert_clean(page)


def test_watchlists_page_links_feeds(server, page):
    base, _ = server
    from steppe.analyse.watch import add_watch
    from steppe.store import open_store

    store = open_store(str(SERVED["db"]))  # written beside the running server, as `steppe watch add` would
    try:
        add_watch(store, "kazakhstan", actor="KAZ")
    finally:
        store.close()
    open_view(page, f"{base}/#/watchlists", "watchlists")
    link = page.get_by_role("link", name="Atom feed")
    expect(link).to_have_count(1)
    r = page.request.get(base + link.get_attribute("href"))
    assert r.ok and r.headers["content-type"].startswith("application/atom+xml")
    assert b"<feed" in r.body()
    assert_clean(page)


def test_brief_arguments_and_disagreements_side_by_side(server, page):
    """The seed has no themed arguments, so serve the real brief with some added, built from its own extracts."""
    base, _ = server
    real = httpx.get(f"{base}/api/brief", params={"actors": ["KAZ", "RUS"]}).json()
    extracts = [x for e in real["events"] + real["other_events"] for x in e["evidence"]]
    evil = next(x for x in extracts if "hostile" in x["text"])
    real["themes"] = [{"theme": "energy", "label": "Energy & transit", "extracts": extracts[:2]},
                      {"theme": "security", "label": '<img src=x onerror="window.__pwned=9">', "extracts": [evil]}]
    real["disagreements"] = [{"loosening": {**extracts[0], "stance": -1, "cues": ["rejected"]},
                              "tightening": {**extracts[2], "stance": 1, "cues": ["agreements"]}}]
    page.route("**/api/brief?*", lambda route: route.fulfill(json=real))
    open_view(page, f"{base}/#/brief?actors=KAZ+RUS", "brief")
    themes = page.locator(".theme")
    expect(themes).to_have_count(3)
    expect(themes.nth(0).locator("h3")).to_have_text("Energy & transit")
    expect(themes.nth(1).locator("h3")).to_have_text('<img src=x onerror="window.__pwned=9">')
    expect(themes.nth(0).locator("a.cite")).to_have_count(2)
    pair = page.locator(".disagreements .pair")
    expect(pair).to_have_count(1)
    loose, tight = pair.locator(".loosening"), pair.locator(".tightening")
    expect(loose).to_contain_text(extracts[0]["text"])
    expect(tight).to_contain_text(extracts[2]["text"])
    left, right = loose.bounding_box(), tight.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2  # side by side
    expect(loose.locator("a.cite")).to_have_count(1)
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the brief scrolls sideways by {overflow}px at phone width"
    assert_clean(page)
