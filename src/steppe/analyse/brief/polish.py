"""Optional polishing: a generated summary kept only when every sentence cites an extract."""

from __future__ import annotations

import os
import re
from typing import Any

from steppe.analyse.brief.model import Brief
from steppe.enrich.events import split_sentences


class PolishRefused(RuntimeError):
    """The model's text had a sentence without a valid citation; nothing generated is kept."""


_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def check_citations(text: str, allowed: set[int]) -> list[dict[str, Any]]:
    """Split generated text into sentences; each must cite [n] with n among ``allowed``."""
    sentences, bad = [], []
    for start, end in split_sentences(text):
        sent = text[start:end].strip()
        if not sent or not re.search(r"\w", sent):
            continue
        numbers = [int(n) for group in _CITE.findall(sent) for n in re.split(r"\s*[,;]\s*", group)]
        if not numbers or any(n not in allowed for n in numbers):
            bad.append(sent)
        sentences.append({"text": sent, "cites": sorted(set(numbers))})
    if bad:
        raise PolishRefused("generated sentences without a valid citation: "
                            + " | ".join(s[:120] for s in bad))
    if not sentences:
        raise PolishRefused("the model returned no text")
    return sentences


def polish(brief: Brief, *, url: str | None = None, model: str | None = None,
           timeout: float = 120.0) -> Brief:
    """Add a generated summary written only from the brief's extracts (off unless a URL is set).

    ``url`` (or ``STEPPE_LLM_URL``) is the base of an OpenAI-compatible API,
    e.g. http://127.0.0.1:8080/v1; ``STEPPE_LLM_MODEL`` names the model.
    Raises :class:`PolishRefused` when any generated sentence lacks a citation.
    """
    import httpx

    url = url or os.environ.get("STEPPE_LLM_URL")
    if not url:
        return brief
    model = model or os.environ.get("STEPPE_LLM_MODEL", "default")
    extracts = brief.extracts()
    if not extracts:
        raise PolishRefused("the brief has no extracts to summarise")
    lines = "\n".join(f"[{x.cite}] {x.text}" for x in extracts)
    messages = [
        {"role": "system", "content": (
            "You summarise evidence for a political analyst. Use only the numbered extracts. "
            "End every sentence with the citation numbers of the extracts it rests on, like [2] "
            "or [2, 5]. Add no facts, names or dates that the extracts do not contain.")},
        {"role": "user", "content": f"Question: {brief.about or brief.title}\n\nExtracts:\n{lines}\n\n"
                                    "Write a summary of at most six sentences."},
    ]
    endpoint = url.rstrip("/") + ("" if url.rstrip("/").endswith("/chat/completions")
                                  else "/chat/completions")
    try:
        response = httpx.post(endpoint, json={"model": model, "messages": messages, "temperature": 0},
                              timeout=timeout)
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
        raise PolishRefused(f"the model endpoint failed: {exc}") from exc
    brief.summary = check_citations(text, {s.n for s in brief.sources})
    brief.summary_model = model
    return brief
