"""Is a line of a text dump page furniture rather than content?

Saved pages arrive as plain text with the site's furniture still in them:
cookie notices, newsletter prompts, menus, "click here to continue",
result counters, banners about the site itself. No library handles text
(not HTML) dumps, so this is hand-written: a line is judged by general cues
(vocabulary about the site/reader rather than the world, menu shape, UI
labels), never by a list of known sentences.
"""

from __future__ import annotations

import re

# Phrases that talk to the reader about the website, not about the world.
# One of these in a short line, or two anywhere in a line, marks furniture.
_SITE_CUES = re.compile(
    r"\b(?:cookies?|this (?:web)?site|our (?:web)?site|the \w+(?: \w+)? website|"
    r"privacy (?:policy|notice|settings)|terms (?:of use|and conditions|of service)|"
    r"all rights reserved|copyright ©|newsletters?|mailing list|"
    r"subscribe (?:to (?:our|the) \w+|now|today|here)|sign (?:up|in) (?:to|for) (?:our|receive|get)\b|"
    r"log in to|register now|inbox|click here|continue reading|read more|read the full|"
    r"full version|please visit|visit our|follow us|share this|printable version|print this|"
    r"skip to|enable javascript|your browser|download (?:the|our) app|advertisement|"
    r"by continuing to (?:browse|use)|you are agreeing|accept (?:all )?cookies)\b",
    re.IGNORECASE,
)

# Words that make up interface labels ("Content area", "Full text",
# "|Printable version", "Back to top"): a short line made only of them is UI.
_UI_WORDS = frozenset(
    ["content", "area", "full", "text", "abstract", "menu", "main", "navigation", "nav", "home", "search", "print", "printable", "version", "share", "tweet", "email", "back", "to", "top", "next", "previous", "prev", "more", "page", "pages", "login", "logout", "sign", "in", "up", "register", "subscribe", "account", "skip", "close", "open", "toggle", "view", "all", "see", "related", "topics", "tags", "tag", "download", "pdf", "citation", "cite", "export", "save", "bookmark", "follow", "comments", "comment", "reply", "site", "map", "sitemap", "contact", "about", "us", "privacy", "terms", "cookies", "accessibility", "language", "english", "русский", "қазақша", "go"]
)

_COUNTER = re.compile(
    r"^\s*(?:(?:results?|showing|displaying)\s+)?\d[\d,]*\s*(?:-|–|to)\s*\d[\d,]*\s+of\s+"
    r"(?:about\s+|approximately\s+|over\s+)?\d[\d,]*(?:\s+results?)?\s*$"
    r"|^\s*(?:about\s+)?\d[\d,]*\s+(?:results?|items?|matches|hits|documents)(?:\s+found)?"
    r"(?:\s+for\b.*)?\s*$"
    r"|^\s*(?:page\s+)?\d+\s+of\s+\d+\s*$",
    re.IGNORECASE,
)

_MENU_PREFIX = re.compile(r"^\s*[|»›•·>]+\s*\S")
_WORD = re.compile(r"[\w’'-]+")


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_counter(line: str) -> bool:
    """Result counters: "1 to 10 of about 184", "Showing 1-20 of 300", "184 results"."""
    return bool(_COUNTER.match(line))


def is_menu_line(line: str) -> bool:
    """A menu entry: a short line led by a separator glyph ("|RESEARCH", "» About")."""
    return bool(_MENU_PREFIX.match(line)) and len(words(line)) <= 4


def is_ui_label(line: str) -> bool:
    """A short line made only of interface vocabulary ("Content area", "Full text")."""
    tokens = [w.casefold() for w in words(line)]
    return 0 < len(tokens) <= 4 and all(t in _UI_WORDS for t in tokens)


def site_cue_count(line: str) -> int:
    return len(_SITE_CUES.findall(line))


def is_site_talk(line: str) -> bool:
    """Sentences about the website or the reader: cookie notices, banners, newsletter prompts."""
    cues = site_cue_count(line)
    return cues >= 2 or (cues == 1 and len(words(line)) <= 25)


def is_boilerplate(line: str) -> bool:
    """True for any furniture line a text dump may carry."""
    if not line.strip():
        return False
    return is_counter(line) or is_menu_line(line) or is_ui_label(line) or is_site_talk(line)


def menu_run_mask(lines: list[str]) -> list[bool]:
    """Mark runs of >= 3 consecutive one- or two-word lines that carry no sentence: menus.

    A menu written without separator glyphs ("RESEARCH / EXPERTS / EVENTS", one
    per line) is only recognisable by being a run; one such line alone is more
    likely a section heading, which belongs to the article.
    """
    mask = [False] * len(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_menu_word_line(lines[j]):
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                mask[k] = True
        i = max(j, i + 1)
    return mask


def _is_menu_word_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(words(stripped)) <= 2 and not stripped.endswith((".", "?", "!"))
