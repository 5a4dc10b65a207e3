"""Briefs: an extractive, fully cited answer an analyst can hand on.

``build_brief(store, actors=["KAZ", "RUS"], since="2023-01")`` assembles, from
the evidence base only:

1. key events (from the event store), most salient first: salience is
   |intensity| plus the number of independent sources (distinct publishers
   reporting the same type of event between the same actors on the same date),
   plus a bonus when the event joins all the actors asked about;
2. the relation curve of the first two actors (``relation_series``) as data,
   drawn by the renderers as an inline SVG bar chart;
3. what the sources argue: sentences taken verbatim from items, grouped by
   theme (``steppe.analyse.themes``), chosen by relevance (BM25 against the
   question, mentions of the actors, assessment cues such as "will", "risks",
   "unlikely") and diversity (maximal marginal relevance over TF-IDF vectors);
   plus disagreements side by side: sentences whose stance cues say the
   relationship is loosening ("distancing", "decoupling", "fissures") against
   sentences that say it is tightening ("deepened", "ally", "loyalty");
4. the sources, numbered, with counts by publisher.

Nothing is written by Steppe except headings and labels: every sentence of
the brief is an extract with a citation ``[n]`` (an item: publisher, title,
date, URL) and its evidence span (item id and [start, end) offsets into the
item text, and where known the same span on the page it was read from).

Optional polishing (``polish``) sends the extracts to an OpenAI-compatible
chat endpoint (``STEPPE_LLM_URL``; off unless set) and keeps the generated
summary only when every generated sentence cites extracts it was given;
otherwise it raises :class:`PolishRefused`.

Modules: ``model`` (the dataclasses), ``items`` (candidate items, sentences, citations),
``ranking`` (BM25, MMR, claim and stance cues), ``events`` (key events), ``build``
(``build_brief``), ``polish``, ``render``. Sentences are split by
:func:`steppe.enrich.events.split_sentences`, the one splitter events are coded with.

Renderers: :func:`to_markdown`, :func:`to_html` (self-contained, chart inline),
:func:`to_pdf` (the HTML through WeasyPrint, which needs only the Pango
library that Debian ships), :meth:`Brief.to_dict` for the API.
"""

from __future__ import annotations

from steppe.analyse.brief.build import build_brief
from steppe.analyse.brief.items import marks
from steppe.analyse.brief.model import Brief, Extract, KeyEvent, Source, ThemeSection
from steppe.analyse.brief.polish import PolishRefused, check_citations, polish
from steppe.analyse.brief.ranking import Bm25, cosine, mmr, stance, tokens
from steppe.analyse.brief.render import (
    relation_svg,
    render,
    span_link,
    to_html,
    to_markdown,
    to_pdf,
)
from steppe.enrich.events import split_sentences

__all__ = [
    "Bm25", "Brief", "Extract", "KeyEvent", "PolishRefused", "Source", "ThemeSection", "build_brief",
    "check_citations", "cosine", "marks", "mmr", "polish", "relation_svg", "render", "span_link",
    "split_sentences", "stance", "to_html", "to_markdown", "to_pdf", "tokens",
]
