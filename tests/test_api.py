"""The REST API with FastAPI's TestClient: search with facets, items, actors, relations, errors, ingest, escaping."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from workbench_seed import EVIL_TEXT, EVIL_TITLE, HOSTILE_HTML, seed

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from steppe.serve.app import CSP, STATIC, create_app  # noqa: E402


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "t.db"
    ids = seed(path)
    return str(path), ids


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(seeded[0])) as c:
        yield c


def error_message(response) -> str:
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code
    assert body["error"]["message"]
    return body["error"]["message"]


# ---------------------------------------------------------------- search


def test_items_search_with_facets(client, seeded):
    r = client.get("/api/items", params={"q": "Tokayev"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2
    assert {h["id"] for h in body["hits"]} == {seeded[1]["crisiswatch"], seeded[1]["october"]}
    assert set(body["facets"]) == {"publisher", "kind", "month", "actor", "event_type"}
    assert any(s["match"] for s in body["hits"][0]["snippet"])


def test_items_filters_and_paging(client):
    r = client.get("/api/items", params={"q": "Kazakhstan OR Russia", "per_page": 2, "page": 2})
    body = r.json()
    assert body["total"] == 5 and body["pages"] == 3 and len(body["hits"]) == 2
    assert sum(f["count"] for f in body["facets"]["kind"]) == 5
    typed = client.get("/api/items", params={"type": "CONSULT"}).json()
    assert typed["total"] == 1
    by_actor = client.get("/api/items", params={"actor": "KAZ", "publisher": "Eurasianet"}).json()
    assert by_actor["total"] == 2


@pytest.mark.parametrize("q", ['"', "AND", "()", "-", "NOT", 'Tokayev" OR (NOT'])
def test_invalid_search_syntax_is_400_never_500(client, q):
    r = client.get("/api/items", params={"q": q})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        assert "search" in error_message(r)


@pytest.mark.parametrize("params, fragment", [
    ({"q": "x", "since": "yesterday"}, "since"),
    ({"q": "x", "page": "two"}, "page"),
    ({"q": "x", "per_page": "1000"}, "per_page"),
    ({"q": "x", "mode": "fuzzy"}, "mode must be one of keyword, semantic, both"),
])
def test_bad_parameters_are_400_with_a_reason(client, params, fragment):
    r = client.get("/api/items", params=params)
    assert r.status_code == 400
    assert fragment in error_message(r)


def test_search_labels_keyword_matches_and_counts_them_apart(client, seeded):
    body = client.get("/api/items", params={"q": "Tokayev", "mode": "keyword"}).json()
    assert body["mode"] == "keyword" and body["counts"] == {"keyword": 2, "semantic": 0}
    assert [h["match"] for h in body["hits"]] == ["keyword", "keyword"]
    both = client.get("/api/items", params={"q": "Tokayev"}).json()  # no vectors: matches only
    assert both["total"] == both["counts"]["keyword"] == 2
    browse = client.get("/api/items", params={"actor": "KAZ"}).json()
    assert browse["mode"] == "browse" and {h["match"] for h in browse["hits"]} == {None}
    # The seed has no vectors: semantic search says why it cannot run.
    r = client.get("/api/items", params={"q": "Tokayev", "mode": "semantic"})
    assert r.status_code == 400 and "steppe embed" in error_message(r)


def test_unknown_actors_are_404_naming_the_closest(client):
    for path, params in (("/api/relations", {"a": "KAZ", "b": "XXX"}),
                         ("/api/timeline", {"actor": "XXX"}),
                         ("/api/brief", {"actors": ["KAZ", "XXX"]}),
                         ("/api/items", {"actor": "XXX"})):
        r = client.get(path, params=params)
        assert r.status_code == 404, path
        message = error_message(r)
        assert message.startswith("unknown actor 'XXX'; closest known:"), message
        assert "\n" not in message
    # A name the knowledge base resolves is no error, even when this corpus never mentions it.
    assert client.get("/api/relations", params={"a": "Kazakstan", "b": "Tokaev"}).status_code == 200
    assert client.get("/api/timeline", params={"actor": "China"}).json()["events"] == []


def test_items_without_a_title_show_the_start_of_their_text(client, seeded):
    titled = client.get(f"/api/items/{seeded[1]['crisiswatch']}").json()
    assert titled["display_title"] == titled["title"] == "Central Asia: November 2023"
    for hit in client.get("/api/items", params={"q": "Kazakhstan"}).json()["hits"]:
        assert hit["display_title"] == (hit["title"] or hit["display_title"])


# ---------------------------------------------------------------- items, pages, actors


def test_item_with_provenance_entities_events(client, seeded):
    item_id = seeded[1]["crisiswatch"]
    body = client.get(f"/api/items/{item_id}").json()
    assert body["id"] == item_id
    prov = body["provenance"][0]
    assert prov["source"] == "page0.html" and prov["page_url"].startswith("https://")
    assert {m["actor"] for m in body["mentions"]} >= {"kz.tokayev", "ru.putin"}
    assert [e["type"] for e in body["events"]] == ["CONSULT", "CONSULT", "AGREE", "ACCUSE"]
    assert body["events"][1]["evidence"].startswith("Putin 9 Nov met with Tokayev")
    page = client.get(f"/api/pages/{prov['page_id']}", params={"start": prov["start"], "end": prov["end"]}).json()
    assert page["span"] == body["text"]
    assert client.get(f"/api/items/{item_id[:8]}").json()["id"] == item_id  # unique prefix


def test_missing_things_are_404_json(client):
    for path in ("/api/items/ffffffffffffffff", "/api/actors/no-such-actor", "/api/pages/999",
                 "/api/jobs/nope", "/api/no-such-endpoint"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/json")
        error_message(r)


def test_actors(client):
    actors = client.get("/api/actors", params={"top": 5}).json()["actors"]
    assert [a["id"] for a in actors][:2] == ["KAZ", "RUS"]
    kaz = client.get("/api/actors/KAZ").json()
    assert kaz["mentions_by_month"][-1] == {"month": "2023-12", "count": 3}
    assert kaz["co_mentioned"][0]["id"] == "RUS"
    assert kaz["events"]


# ---------------------------------------------------------------- relations, timeline, network


def test_relations(client):
    body = client.get("/api/relations", params={"a": "KAZ", "b": "RUS", "by": "month"}).json()
    assert [p["period"] for p in body["periods"]] == ["2023-10", "2023-11", "2023-12"]
    november = body["periods"][1]
    assert november["combined"]["verbal_cooperation"] == 2
    assert all(e in body["events"] for e in november["combined"]["events"])
    hypo = client.get("/api/relations", params={"a": "KAZ", "b": "RUS", "include_hypothetical": "true"}).json()
    assert hypo["totals"]["count"] == body["totals"]["count"] + 1
    assert client.get("/api/relations", params={"a": "KAZ", "b": "RUS", "by": "week"}).status_code == 400
    assert client.get("/api/relations", params={"a": "KAZ"}).status_code == 400


def test_timeline_and_network(client):
    events = client.get("/api/timeline", params={"actor": "RUS"}).json()["events"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events) and len(events) == 4
    assert events[0]["item"]["publisher"] == "Eurasianet"
    graph = client.get("/api/network", params={"min_weight": 2}).json()
    assert graph["nodes"] and all(e["weight"] >= 2 for e in graph["edges"])
    assert {"id", "label", "type", "count"} <= set(graph["nodes"][0])
    assert client.get("/api/network", params={"since": "soon"}).status_code == 400


# ---------------------------------------------------------------- safety


def test_api_json_never_carries_raw_markup(client, seeded):
    r = client.get(f"/api/items/{seeded[1]['evil']}")
    assert r.status_code == 200
    raw = r.text
    assert "<" not in raw and ">" not in raw and "\\u003cscript\\u003e" in raw
    body = r.json()  # the data itself is intact, just escaped on the wire
    assert body["title"] == EVIL_TITLE and body["text"] == EVIL_TEXT
    assert r.headers["x-content-type-options"] == "nosniff"


def test_security_headers_and_no_inline_script(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert csp == CSP
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'"
    assert "unsafe" not in csp
    for page in ("index.html", "docs.html"):
        html = (STATIC / page).read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert not re.search(r"\son\w+\s*=", html), "inline event handler"
        assert "http://" not in html and "https://" not in html, "everything is served locally"
    js = (STATIC / "app.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    assert client.get("/api/stats").headers["content-security-policy"] == CSP


def test_vendored_libraries_and_docs_are_served_locally(client):
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "cytoscape.min.js",
                 "swagger-ui-bundle.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js"):
        r = client.get(f"/static/vendor/{name}")
        assert r.status_code == 200 and len(r.content) > 10_000, name
    index = client.get("/").text  # the layout's UMD builds load after cytoscape, in dependency order
    order = [index.index(f"/static/vendor/{n}") for n in ("cytoscape.min.js", "layout-base.js",
                                                            "cose-base.js", "cytoscape-fcose.js")]
    assert order == sorted(order) and "//cdn" not in index and "https://" not in index
    for lib in ("vega", "vega-lite", "vega-embed", "cytoscape", "swagger-ui-dist", "layout-base",
                "cose-base", "cytoscape-fcose"):
        assert (STATIC / "vendor" / f"LICENSE.{lib}").is_file()
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/items", "/api/items/{item_id}", "/api/actors", "/api/actors/{actor_id}", "/api/relations",
            "/api/timeline", "/api/network", "/api/ingest", "/api/jobs/{job_id}"} <= set(paths)


# ---------------------------------------------------------------- ingest


def test_ingest_is_forbidden_unless_allowed(client):
    r = client.post("/api/ingest", json={"inputs": ["/etc/hosts"]})
    assert r.status_code == 403
    assert "--allow-ingest" in error_message(r)


def wait_for(client, url: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {url} did not finish")


def test_ingest_hostile_page_as_background_job(tmp_path):
    db = tmp_path / "ingest.db"
    with TestClient(create_app(str(db), allow_ingest=True)) as c:
        assert c.post("/api/ingest", json={"inputs": []}).status_code == 400
        assert c.post("/api/ingest", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
        assert c.post("/api/ingest", content=b"data").status_code == 400  # no filename
        r = c.post("/api/ingest", params={"filename": "../../hostile report.html"}, content=HOSTILE_HTML.encode(),
                   headers={"content-type": "text/html"})
        assert r.status_code == 202, r.text
        job = wait_for(c, r.json()["url"])
        assert job["status"] == "done" and job["pages_added"] == 1, job
        assert job["warnings"] == [] and job["items_enriched"] >= 0
        assert Path(job["inputs"][0]).name == "hostile_report.html"  # no path tricks
        hits = c.get("/api/items", params={"q": "quarrymen"}).json()["hits"]
        assert hits
        for hit in hits:
            r = c.get(f"/api/items/{hit['id']}")
            assert "<" not in r.text and ">" not in r.text
            body = r.json()
            assert "<script" not in json.dumps(body).lower() or "\\u003c" in r.text
        # A second job over a path that does not exist fails cleanly, with a reason.
        r = c.post("/api/ingest", json={"inputs": [str(tmp_path / "missing.html")]})
        job = wait_for(c, r.json()["url"])
        assert job["status"] == "failed" and (job["failures"] or job["error"])


# ---------------------------------------------------------------- briefs and watchlists


BRIEF = {"actors": ["KAZ", "RUS"]}


def test_brief_json_every_extract_cites_a_source(client, seeded):
    r = client.get("/api/brief", params=BRIEF)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "<" not in r.text  # the hostile item is among the sources, escaped on the wire
    body = r.json()
    assert body["actors"] == ["KAZ", "RUS"] and "Kazakhstan" in body["title"]
    assert body["actor_labels"]["KAZ"] == "Kazakhstan"
    numbers = [s["n"] for s in body["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    by_n = {s["n"]: s for s in body["sources"]}
    extracts = [x for e in body["events"] for x in e["evidence"]]
    extracts += [x for t in body["themes"] for x in t["extracts"]]
    extracts += [x for d in body["disagreements"] for x in (d["loosening"], d["tightening"])]
    assert extracts and body["events"]
    for x in extracts:
        assert by_n[x["cite"]]["item_id"] == x["item_id"]
        text = client.get(f"/api/items/{x['item_id']}").json()["text"]
        assert text[x["start"]:x["end"]] == x["text"]  # the evidence span is exact
    assert "Putin 9 Nov met with Tokayev in Astana to discuss energy and transit." in [x["text"] for x in extracts]
    assert body["relation"]["a"] == "KAZ" and body["relation"]["periods"]
    assert sum(body["publishers"].values()) == len(body["sources"])
    # Actors as one value ("KAZ RUS") mean the same as repeated parameters.
    assert client.get("/api/brief", params={"actors": "KAZ RUS"}).json()["actors"] == ["KAZ", "RUS"]


def test_brief_markdown_citations_resolve(client):
    r = client.get("/api/brief", params={**BRIEF, "format": "md"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert "attachment" in r.headers["content-disposition"] and "brief-KAZ-RUS.md" in r.headers["content-disposition"]
    md = r.text
    body, _, sources = md.partition("\n## Sources\n")
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", sources, re.M)}
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited and cited <= listed, f"citations without a source: {cited - listed}"
    assert listed == set(range(1, len(listed) + 1))
    # Every quoted line carries a citation and a link to its evidence span in this server's workbench.
    quoted = [line for line in body.splitlines() if line.lstrip().startswith("- ") and not line.lstrip().startswith("- **")]
    assert quoted and all(re.search(r"\[\d+\] \(\[\w+:\d+-\d+\]\(http://testserver/#/", line) for line in quoted)


def test_brief_html_is_served_under_a_no_script_policy(client):
    r = client.get("/api/brief", params={**BRIEF, "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert csp != CSP
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'none'"
    assert directives["style-src"] == "'unsafe-inline'"
    assert "unsafe-eval" not in csp and csp.count("unsafe-inline") == 1
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert "<style>" in html and "<svg" in html  # self-contained: styles and chart inline
    assert "<script" not in html.lower() and "&lt;script&gt;" in html  # hostile strings escaped
    assert not re.search(r"<[^>]+\son\w+\s*=", html), "event handler attribute"
    assert not re.search(r"href=[\"']?\s*javascript:", html, re.I), "javascript: link"


def test_brief_pdf(client):
    pytest.importorskip("weasyprint")
    r = client.get("/api/brief", params={**BRIEF, "format": "pdf"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and len(r.content) > 5000
    assert "brief-KAZ-RUS.pdf" in r.headers["content-disposition"]


@pytest.mark.parametrize("params, fragment", [
    ({}, "actors"),
    ({"actors": "KAZ", "since": "soon"}, "since"),
    ({"actors": "KAZ", "until": "next week"}, "until"),
    ({"actors": "KAZ", "format": "docx"}, "format"),
])
def test_brief_bad_parameters_are_400_json(client, params, fragment):
    r = client.get("/api/brief", params=params)
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/json")
    assert fragment in error_message(r)


def test_brief_about_a_topic_without_actors(client):
    body = client.get("/api/brief", params={"about": "gas union", "format": "json"}).json()
    assert body["actors"] == [] and body["about"] == "gas union" and body["relation"] is None
    assert body["considered"] >= 1


def test_watchlist_feed_is_valid_atom(client, seeded):
    feedparser = pytest.importorskip("feedparser")
    from steppe.analyse.watch import add_watch
    from steppe.store import open_store

    store = open_store(seeded[0])
    try:
        add_watch(store, "kaz-rus", actor="KAZ")
        add_watch(store, "agreements", type="AGREE")
    finally:
        store.close()
    listed = client.get("/api/watchlists").json()["watchlists"]
    assert [w["name"] for w in listed] == ["agreements", "kaz-rus"]
    assert listed[1]["actor"] == "KAZ" and listed[1]["feed"] == "http://testserver/feeds/kaz-rus.atom"

    r = client.get("/feeds/kaz-rus.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "Steppe watchlist: kaz-rus"
    assert any(link.rel == "self" and link.href == "http://testserver/feeds/kaz-rus.atom" for link in feed.feed.links)
    assert len(feed.entries) >= 5
    assert all(e.link.startswith("http://testserver/#/item/") and e.id.startswith("urn:steppe:watch:kaz-rus:")
               for e in feed.entries)
    titles = [e.title for e in feed.entries]
    assert EVIL_TITLE in titles  # the hostile title survives as text, and the XML stays valid
    agreements = feedparser.parse(client.get("/feeds/agreements.atom").content)
    assert not agreements.bozo and {t.term for e in agreements.entries for t in e.tags} == {"item", "event"}


def test_missing_feeds_are_404_json(client):
    for path in ("/feeds/no-such-watch.atom", "/feeds/no-such-watch", "/feeds/a/b.atom"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/json")
        error_message(r)


def test_brief_and_watchlists_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/brief", "/api/watchlists", "/feeds/{name}.atom"} <= set(paths)
