"""The REST API and the web workbench, one FastAPI app over one store.

Every string in the evidence base came from the web and is untrusted. The
API answers JSON only (with ``<``, ``>`` and ``&`` escaped as ``\\u003c``...
so no browser can ever sniff it as HTML); the web app builds its DOM with
``textContent`` only; and every response carries a Content-Security-Policy
that allows scripts from this server's own files and nothing else (no
inline script, no eval), so even a slip in the front end cannot run
injected code. Rendered briefs (HTML, Markdown, PDF) and Atom feeds are
served under a stricter policy still (``BRIEF_CSP``): the HTML brief needs
its inline ``<style>``, and nothing else, so no script runs at all.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from steppe.analyse.actors import actor_list, actor_summary
from steppe.analyse.brief import build_brief, render
from steppe.analyse.common import InvalidParameter, NotFound, actor_label, knowledge_base
from steppe.analyse.items import item_detail, page_slice
from steppe.analyse.network import network
from steppe.analyse.relations import relation_series
from steppe.analyse.search import search_items
from steppe.analyse.timeline import timeline
from steppe.analyse.watch import list_watches, watch_feed_atom
from steppe.serve.jobs import JobRunner
from steppe.store import QuerySyntaxError, Store, StoreError, open_store

STATIC = Path(__file__).resolve().parent / "static"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Rendered briefs (HTML, Markdown, PDF) get a stricter policy: the HTML brief is one
# self-contained document with its own <style> block and an inline SVG chart, so inline
# styles are allowed, and nothing else is: no script of any kind, no fetches, no frames.
BRIEF_CSP = "; ".join([
    "default-src 'none'",
    "script-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])
BRIEF_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped: identical data, but never readable as markup."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .encode("utf-8"))


def error(status: int, message: str, **extra: Any) -> SafeJSONResponse:
    return SafeJSONResponse({"error": {"status": status, "message": message, **extra}},
                            status_code=status)


class _Stores:
    """One connection per worker thread: sqlite3 connections must not be shared mid-query."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.local = threading.local()
        open_store(db).close()  # create and migrate once, up front, so a bad path fails early

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = open_store(self.db)
        return store


def _warm_semantic(db: str) -> None:
    from steppe.analyse import semantic

    store = open_store(db)
    try:
        semantic.warm_up(store)
    except Exception:  # a broken model must not take the server down; search falls back to BM25
        logging.getLogger("steppe").warning("embedding model failed to load", exc_info=True)
    finally:
        store.close()


def create_app(db: str, *, allow_ingest: bool = False, enrich: bool = True) -> FastAPI:
    """The workbench over the evidence base at ``db``; ingest over HTTP only if allowed.

    Ingest jobs also link entities and code events (``enrich``) when the
    enrich stage is installed, as ``steppe ingest`` does.
    """
    app = FastAPI(title="Steppe workbench", version=_version(), docs_url=None, redoc_url=None,
                  default_response_class=SafeJSONResponse,
                  description="Search, read, and chart an evidence base of pages, actors and events.")
    stores = _Stores(db)
    jobs = JobRunner(db, enrich=enrich)
    # Load the actor knowledge base now, off the request path (it takes about a second).
    threading.Thread(target=knowledge_base, name="load-kb", daemon=True).start()
    # Likewise the embedding model, when the store has vectors (a no-op without the extra).
    threading.Thread(target=_warm_semantic, args=(db,), name="load-embedder", daemon=True).start()
    app.state.db, app.state.allow_ingest, app.state.jobs = db, allow_ingest, jobs
    _install_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # ------------------------------------------------------------------ API

    @app.get("/api/items", summary="Search items: keyword matches (BM25) and semantic neighbours, "
             "each hit labelled (match), counted apart (counts); facets; empty q browses newest")
    def api_items(q: str = "", actor: str | None = None, publisher: str | None = None,
                  kind: str | None = None, since: str | None = None, until: str | None = None,
                  event_type: str | None = Query(None, alias="type"),
                  page: int = Query(1, ge=1), per_page: int = Query(20, ge=1, le=100),
                  mode: str = Query("both", description="keyword, semantic or both"),
                  language: str | None = None) -> Any:
        return search_items(stores.get(), q, actor=actor, publisher=publisher, kind=kind,
                            since=since, until=until, type=event_type, page=page,
                            per_page=per_page, mode=mode, language=language)

    @app.get("/api/items/{item_id}", summary="One item with provenance, entities and events")
    def api_item(item_id: str) -> Any:
        return item_detail(stores.get(), item_id)

    @app.get("/api/pages/{page_id}", summary="A page's text, split around [start, end)")
    def api_page(page_id: int, start: int | None = Query(None, ge=0),
                 end: int | None = Query(None, ge=0)) -> Any:
        result = page_slice(stores.get(), page_id, start, end)
        if result is None:
            raise NotFound(f"no page {page_id}")
        return result

    @app.get("/api/actors", summary="The most mentioned actors")
    def api_actors(top: int = Query(50, ge=1, le=1000), q: str | None = None) -> Any:
        return {"actors": actor_list(stores.get(), top=top, q=q)}

    @app.get("/api/actors/{actor_id}", summary="Aliases, mentions by month, co-mentioned actors, events")
    def api_actor(actor_id: str) -> Any:
        return actor_summary(stores.get(), actor_id)

    @app.get("/api/relations", summary="Events between two actors per period, by quad class")
    def api_relations(a: str, b: str, by: str = "month", since: str | None = None,
                      until: str | None = None, include_hypothetical: bool = False,
                      min_confidence: float = Query(0.0, ge=0.0, le=1.0)) -> Any:
        return relation_series(stores.get(), a, b, by=by, since=since, until=until,
                               include_hypothetical=include_hypothetical,
                               min_confidence=min_confidence)

    @app.get("/api/timeline", summary="Dated events in order, with evidence and source item")
    def api_timeline(actor: str | None = None, since: str | None = None, until: str | None = None,
                     limit: int = Query(500, ge=1, le=5000),
                     include_hypothetical: bool = False,
                     min_confidence: float = Query(0.0, ge=0.0, le=1.0)) -> Any:
        events = timeline(stores.get(), actor=actor, since=since, until=until, limit=limit,
                          include_hypothetical=include_hypothetical,
                          min_confidence=min_confidence)
        return {"actor": actor, "since": since, "until": until,
                "min_confidence": min_confidence, "events": events}

    @app.get("/api/network", summary="Actor co-mention and event graph as nodes and edges")
    def api_network(since: str | None = None, min_weight: int = Query(1, ge=1),
                    max_nodes: int = Query(150, ge=1, le=1000)) -> Any:
        return network(stores.get(), since=since, min_weight=min_weight, max_nodes=max_nodes)

    @app.get("/api/stats", summary="Counts of pages, items, mentions and events")
    def api_stats() -> Any:
        store = stores.get()
        stats = store.stats()
        stats["mentions"] = store.query("SELECT count(*) AS n FROM mentions")[0]["n"]
        stats["events"] = store.query("SELECT count(*) AS n FROM events")[0]["n"]
        stats["allow_ingest"] = allow_ingest
        return stats

    @app.get("/api/brief", summary="A cited brief on actors and/or a question, as JSON, md, html or pdf")
    def api_brief(request: Request, actors: Annotated[list[str] | None, Query()] = None,
                  about: str | None = None, since: str | None = None, until: str | None = None,
                  fmt: str = Query("json", alias="format")) -> Any:
        if fmt not in ("json", *BRIEF_TYPES):
            raise InvalidParameter(f"format must be json, md, html or pdf, not {fmt!r}")
        brief = build_brief(stores.get(), about=(about or "").strip() or None,
                            actors=[a for a in actors or [] if a.strip()], since=since or None,
                            until=until or None)
        if fmt == "json":
            return {**brief.to_dict(), "actor_labels": _brief_labels(brief)}
        try:
            body = render(brief, fmt, base_url=str(request.base_url))
        except RuntimeError as exc:  # PDF without WeasyPrint/Pango: say so, don't crash
            return error(503, str(exc))
        name = "brief-" + ("-".join(brief.actors) or "about")
        # ASCII only: response headers are latin-1, and the name must not break out of its quotes.
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80] + f".{fmt}"
        return Response(body, media_type=BRIEF_TYPES[fmt], headers={
            "Content-Security-Policy": BRIEF_CSP,
            "Content-Disposition": f'{"inline" if fmt == "html" else "attachment"}; filename="{name}"',
        })

    @app.get("/api/watchlists", summary="Saved watchlists, each with its Atom feed URL")
    def api_watchlists(request: Request) -> Any:
        base = str(request.base_url).rstrip("/")
        return {"watchlists": [{**asdict(w), "feed": f"{base}/feeds/{w.name}.atom"}
                               for w in list_watches(stores.get())]}

    @app.post("/api/ingest", status_code=202,
              summary="Ingest paths/URLs (JSON {'inputs': [...]}) or one uploaded file (raw body)")
    async def api_ingest(request: Request, filename: str | None = None) -> Any:
        if not allow_ingest:
            return error(403, "ingest over HTTP is disabled; start the server with --allow-ingest")
        inputs = await _ingest_inputs(request, filename)
        job = jobs.submit(inputs)
        return SafeJSONResponse({**job.to_dict(), "url": f"/api/jobs/{job.id}"}, status_code=202)

    @app.get("/api/jobs/{job_id}", summary="Status of a background ingest job")
    def api_job(job_id: str) -> Any:
        job = jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        return job.to_dict()

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   include_in_schema=False)
    def api_unknown(rest: str) -> Any:
        return error(404, f"no API endpoint /api/{rest}")

    # ------------------------------------------------------------------ feeds

    @app.get("/feeds/{name}.atom", summary="A watchlist's matches as an Atom 1.0 feed",
             response_class=Response)
    def feed(request: Request, name: str) -> Response:
        body = watch_feed_atom(stores.get(), name, str(request.base_url))
        return Response(body, media_type="application/atom+xml; charset=utf-8",
                        headers={"Content-Security-Policy": BRIEF_CSP, "Cache-Control": "no-cache"})

    # ------------------------------------------------------------------ web app

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return FileResponse(STATIC / "docs.html")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def _ingest_inputs(request: Request, filename: str | None) -> list[str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError as exc:
            raise InvalidParameter("the body is not valid JSON") from exc
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if (not isinstance(inputs, list) or not inputs
                or not all(isinstance(i, str) and i.strip() for i in inputs)):
            raise InvalidParameter('send {"inputs": ["path, folder or URL", ...]}')
        return [i.strip() for i in inputs]
    if not filename:
        raise InvalidParameter("send JSON {\"inputs\": [...]} or a file body with ?filename=NAME")
    data = await request.body()
    if not data:
        raise InvalidParameter("the uploaded file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidParameter(f"the upload is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    # Keep only a safe base name: the client must not choose where on disk the file lands.
    name = re.sub(r"[^\w.\-]+", "_", Path(filename).name).strip("._") or "upload"
    path = Path(tempfile.mkdtemp(prefix="steppe-upload-")) / name
    path.write_bytes(data)
    return [str(path)]


def _brief_labels(brief: Any) -> dict[str, str]:
    """Display names for every actor id the brief mentions (the JSON has ids only)."""
    ids = [*brief.actors]
    for event in (*brief.events, *brief.other_events):
        ids += [*event.source_actors, *event.target_actors]
    if brief.relation:
        ids += [brief.relation["a"], brief.relation["b"]]
    return {i: actor_label(i) for i in dict.fromkeys(ids) if i}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def bad_query(request: Request, exc: QuerySyntaxError) -> Response:
        return error(400, f"invalid search: {exc}")

    @app.exception_handler(InvalidParameter)
    async def bad_parameter(request: Request, exc: InvalidParameter) -> Response:
        return error(400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error(404, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return error(500, f"store error: {exc}")

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else e.get("msg", "invalid"))
        return error(400, "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        return error(500, f"internal error: {type(exc).__name__}")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("steppe")
    except Exception:
        return "0"


__all__ = ["create_app"]
