"""A small evidence base for the analyse, API and browser tests, written through the store API.

It stands in for the collect/extract/enrich stages: pages with items, actor
mentions and PLOVER events, plus one hostile page whose every string tries
to run script in the web app.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from steppe.model import Event, EventActor, Item, Mention, Page, Span
from steppe.store import open_store

ACTORS = {  # surface form -> (actor id, NER label, country)
    "Tokayev": ("kz.tokayev", "PERSON", "KAZ"),
    "Putin": ("ru.putin", "PERSON", "RUS"),
    "Macron": ("fr.macron", "PERSON", "FRA"),
    "Lavrov": ("ru.lavrov", "PERSON", "RUS"),
    "Kazakhstan": ("KAZ", "GPE", "KAZ"),
    "Russia": ("RUS", "GPE", "RUS"),
    "Astana": ("kz.astana", "GPE", "KAZ"),
    "CSTO": ("CSTO", "ORG", None),
}

CRISISWATCH = (
    "Kazakhstan. President Tokayev hosted French President Macron in Astana on 1 Nov. "
    "Putin 9 Nov met with Tokayev in Astana to discuss energy and transit. "
    "Pair signed raft of agreements on gas supply. "
    "Lavrov 12 Nov accused the West of trying to pull Kazakhstan away from Russia."
)
OCTOBER = ("Kazakhstan on 5 Oct rejected Russia's demand to join the gas union, "
           "Tokayev told reporters in Astana.")
CARNEGIE = ("If Russia cannot achieve its goals by diplomatic means, it will resort to other methods, "
            "analysts warn Kazakhstan.")
DECEMBER = "Russia and Kazakhstan agreed to extend the transit deal, officials said."
EVIL_TITLE = '<script>window.__pwned=1;alert("title")</script>'
EVIL_TEXT = ('Steppe hostile page <img src=x onerror="window.__pwned=2;alert(2)"> '
             'with a <a href="javascript:alert(3)">javascript link</a> and '
             '<svg onload="alert(4)"></svg> about Kazakhstan.')
EVIL_ACTOR = '"><img src=x onerror=alert(5)>'

# A page for the real ingest pipeline: live script and handlers, plus escaped markup in its text.
HOSTILE_HTML = """<!doctype html>
<html><head><title>&lt;script&gt;alert("t")&lt;/script&gt; Hostile steppe report</title>
<script>window.__pwned = "head";</script></head>
<body onload="alert('body')">
<article>
<h1>Hostile steppe report &lt;img src=x onerror=alert(1)&gt;</h1>
<p>Published 12 November 2023. The quarrymen of Karaganda protested on Monday about wages,
according to a statement <img src=x onerror="alert('img')"> posted online by the union.</p>
<p>Read <a href="javascript:alert('link')">the union's statement</a> and
<a href="https://example.org/ok" onclick="alert('click')">the company's reply</a>.
Text with &lt;script&gt;alert("escaped")&lt;/script&gt; in it and an
&lt;svg onload=alert(4)&gt; too, about the quarrymen's strike in the steppe.</p>
<script>alert("body script")</script>
</article></body></html>
"""


def _item(text: str, title: str, published: str, publisher: str, url: str, kind: str = "article") -> Item:
    return Item(kind=kind, text=text, title=title, published=published, published_precision="day",
                publisher=publisher, url=url, spans=[Span(0, len(text))])


def _page(source: str, item: Item) -> Page:
    return Page(source=source, sha256=hashlib.sha256(item.text.encode()).hexdigest(), text=item.text,
                kind="article", title=item.title, publisher=item.publisher, url=item.url,
                published=item.published, items=[item])


def _mentions(item: Item) -> list[Mention]:
    out = []
    for form, (actor, label, country) in ACTORS.items():
        start = item.text.find(form)
        while start >= 0:
            out.append(Mention(start, start + len(form), form, label, actor, 0.9, country, None, item.id))
            start = item.text.find(form, start + 1)
    return out


def _side(item: Item, form: str, actor: str, country: str | None) -> EventActor:
    start = item.text.find(form)
    return EventActor([actor], form, start, start + len(form), [country] if country else [])


def _event(item: Item, n: int, sentence: str, type_: str, quad: str, intensity: float,
           source: EventActor | None, target: EventActor | None, date: str | None, **kw: object) -> Event:
    start = item.text.find(sentence)
    assert start >= 0, sentence
    return Event(type=type_, quad=quad, intensity=intensity, source=source, target=target,
                 evidence_start=start, evidence_end=start + len(sentence), evidence=sentence,
                 date=date, date_precision="day" if date else None, confidence=0.8,
                 item_id=item.id, id=f"{item.id}-e{n}", **kw)


def seed(path: str | Path) -> dict[str, str]:
    """Write the evidence base to ``path`` (a SQLite path or a PostgreSQL URL); returns the item ids."""
    cw = _item(CRISISWATCH, "Central Asia: November 2023", "2023-11-30", "Crisis Group",
               "https://www.crisisgroup.org/crisiswatch/november-2023")
    oct_ = _item(OCTOBER, "Kazakhstan rejects gas union", "2023-10-06", "Eurasianet",
                 "https://eurasianet.org/kazakhstan-gas-union")
    carn = _item(CARNEGIE, "What Moscow wants from Astana", "2023-12-02", "Carnegie",
                 "https://carnegieendowment.org/politika/moscow-astana", kind="teaser")
    dec = _item(DECEMBER, "Transit deal extended", "2023-12-15", "Eurasianet",
                "https://eurasianet.org/transit-deal")
    evil = _item(EVIL_TEXT, EVIL_TITLE, "2023-12-20", '<b onmouseover="alert(6)">Evil Press</b>',
                 "javascript:alert(7)")
    s = lambda i, f: _side(i, f, *ACTORS[f][::2])  # noqa: E731  (form -> EventActor)
    events = {
        cw.id: [
            _event(cw, 1, "President Tokayev hosted French President Macron in Astana on 1 Nov.",
                   "CONSULT", "verbal_cooperation", 1.0, s(cw, "Macron"), s(cw, "Tokayev"), "2023-11-01",
                   place="kz.astana"),
            _event(cw, 2, "Putin 9 Nov met with Tokayev in Astana to discuss energy and transit.",
                   "CONSULT", "verbal_cooperation", 1.0, s(cw, "Putin"), s(cw, "Tokayev"), "2023-11-09",
                   place="kz.astana"),
            _event(cw, 3, "Pair signed raft of agreements on gas supply.", "AGREE",
                   "verbal_cooperation", 4.0, s(cw, "Tokayev"), s(cw, "Putin"), "2023-11-09"),
            _event(cw, 4, "Lavrov 12 Nov accused the West of trying to pull Kazakhstan away from Russia.",
                   "ACCUSE", "verbal_conflict", -2.0, s(cw, "Lavrov"), None, "2023-11-12"),
        ],
        oct_.id: [_event(oct_, 1, OCTOBER, "REJECT", "verbal_conflict", -4.0, s(oct_, "Kazakhstan"),
                         s(oct_, "Russia"), "2023-10-05")],
        carn.id: [_event(carn, 1, CARNEGIE, "THREATEN", "verbal_conflict", -6.0, s(carn, "Russia"),
                         s(carn, "Kazakhstan"), None, hypothetical=True)],
        dec.id: [_event(dec, 1, DECEMBER, "AGREE", "verbal_cooperation", 4.0, s(dec, "Russia"),
                        s(dec, "Kazakhstan"), None)],  # undated: placed by its item's date
        evil.id: [_event(evil, 1, EVIL_TEXT, "PROTEST", "material_conflict", -5.0,
                         EventActor([EVIL_ACTOR], "hostile", 0, 7, []), s(evil, "Kazakhstan"),
                         "2023-12-20")],
    }
    store = open_store(str(path))
    try:
        for n, item in enumerate((cw, oct_, carn, dec, evil)):
            store.add_page(_page(f"page{n}.html", item))
            mentions = _mentions(item)
            if item is evil:
                start = EVIL_TEXT.find("<img")
                mentions.append(Mention(start, EVIL_TEXT.find(">", start) + 1,
                                        EVIL_TEXT[start:EVIL_TEXT.find(">", start) + 1], "ORG",
                                        EVIL_ACTOR, 0.5, None, None, item.id))
            store.set_enrichment(item.id, mentions, events[item.id], "test")
    finally:
        store.close()
    return {"crisiswatch": cw.id, "october": oct_.id, "carnegie": carn.id, "december": dec.id,
            "evil": evil.id}
