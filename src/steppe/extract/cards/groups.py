"""Record regions: groups of repeated sibling subtrees that look like cards, and the article body."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from statistics import median

from lxml import etree

from steppe.extract.cards.dom import _Agg, _sig, _Tree
from steppe.extract.cards.vocab import (
    _DATE_FALLBACK,
    _FURNITURE,
    _NAV_NAMES,
    _SIDEBAR,
    BODY_MIN_CHARS,
    BODY_MIN_PARAS,
    BODY_PARA,
    BODY_SOLID_CHARS,
    FULL_ENTRY,
    HEADINGS,
    MAX_GROUPS,
    MAX_LEAD,
    MIN_CARDS,
    NAV_PROSE,
    RICH_TEXT,
    WHOLE_CARD_LINK,
    _has_token,
    _norm,
    _tlen,
    word_count,
)


@dataclass
class _Group:
    members: list[list[etree._Element]]  # each card: its element(s) (several for flat cards)
    score: float
    extras: list[int]
    dated: float  # share of members with a <time> element or date text
    in_aside: bool
    title_words: float

    @property
    def rich(self) -> bool:
        return median(self.extras) >= RICH_TEXT or self.dated >= 0.5

    def roots(self) -> Iterator[etree._Element]:
        for m in self.members:
            yield from m


def _flat_extent(el: etree._Element, members: set[etree._Element]) -> list[etree._Element]:
    """A heading-led card without a wrapper: the heading plus following siblings up to the next one."""
    out = [el]
    sib = el.getnext()
    while sib is not None and sib not in members and len(out) < 8:
        if isinstance(sib.tag, str):
            if sib.tag in HEADINGS and sib.tag <= el.tag:
                break
            out.append(sib)
        sib = sib.getnext()
    return out


def _lift(tree: _Tree, el: etree._Element) -> etree._Element:
    """The outermost wrapper of ``el`` that holds no other title link: the whole card.

    A title link's group and its ``li`` or ``div.card`` group then describe the same
    cards, with the date and teaser that sit beside the link.
    """
    a = tree.agg[el]
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html", "main") or parent not in tree.agg:
            return el
        pa = tree.agg[parent]
        if pa.titles != a.titles or pa.heads > max(a.heads, 1) or pa.text - a.text > 400:
            return el
        el = parent


def _is_title_el(tree: _Tree, el: etree._Element) -> bool:
    return (el.tag in HEADINGS + ("a",) and tree.agg[el].titles > 0) or el in tree.bare_heads


def _title_slot(tree: _Tree, el: etree._Element, anchor: etree._Element) -> tuple[int, str, int]:
    """(text before the title, the title's tag path inside the card, title words).

    A teaser opens with its title (after a kicker or date at most), while a link in
    running prose sits after a stretch of text; and a template puts every card's
    title in the same place. The place is read from ``anchor``, the group's element
    inside the card ``el`` (all members share its tag path), so cards lifted to
    different wrappers still compare.
    """
    n = 0
    for event, e in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(e.tag, str):
            continue
        if event == "start":
            if _is_title_el(tree, e):
                base, mark = (anchor, "") if (e is anchor or anchor in e.iterancestors()) else (el, "^")
                return n, f"{mark}{_path_below(base, e)}/{_sig(e)}", word_count(tree.text(e))
            n += len(_norm(e.text))
        elif e is not el:
            n += len(_norm(e.tail))
        if n > MAX_LEAD:
            break
    return n, "", 0


def _headed_card(tree: _Tree, els: list[etree._Element], agg: _Agg) -> bool:
    """One heading holding the title link, the other links no longer than it: a card with
    many topic or tag links under its headline, not a box of several stories."""
    if agg.heads != 1 or agg.stories < 1:
        return False
    head = next((h for e in els for h in e.iter(*HEADINGS)), None)
    if head is None or not tree.agg[head].titles:
        return False
    words = word_count(tree.text(head))
    return all(word_count(tree.text(a)) < words for e in els for a in e.iter("a")
               if tree.agg[a].titles and head not in a.iterancestors() and a not in head.iterancestors())


def _wrapperless(path: str) -> str:
    """A title path without its wrappers: the headings on it and the title element itself
    ("div.b_title/h2/a" -> "h2/a"), so a card that wraps its heading once more still fits."""
    steps = path.split("/")
    heads = [st for st in steps if st.split(".", 1)[0] in HEADINGS]
    if not heads:
        return path  # without a heading the wrappers are all that tells two slots apart
    return "/".join(st for st in steps[:-1] if st in heads) + "/" + steps[-1]


def _slot_key(slots: dict[int, tuple[int, str, int]], cardlike: list[int]) -> Callable[[str], str] | None:
    """How members' title paths are compared: exactly when most agree so, else without wrappers."""
    for key in (_same, _wrapperless):
        count = Counter(key(slots[i][1]) for i in cardlike).most_common(1)[0][1]
        if count >= MIN_CARDS and count >= 0.6 * len(cardlike):
            return key
    return None


def _same(path: str) -> str:
    return path


def _short_titled(tree: _Tree, els: list[etree._Element], short: list[etree._Element],
                  key: Callable[[str], str], common: str) -> list[etree._Element]:
    """Siblings of the members with no title-like link whose only heading holds a link and sits
    in the template's title slot: a short headline ("Hello.com") where every other card has its
    title."""
    if not short or not any(st.split(".", 1)[0] in HEADINGS for st in common.split("/")):
        return []
    parents = {e.getparent() for e in els}
    out = []
    for el in short:
        if el.getparent() not in parents:
            continue
        head = next(el.iter(*HEADINGS), None)
        if head is None or not tree.text(head):
            continue
        path = _path_below(el, head)
        if key(f"{path}/{_sig(head)}" if head is not el else f"/{_sig(head)}") == common:
            out.append(el)
    return out


def _sum_agg(tree: _Tree, els: list[etree._Element]) -> _Agg:
    total = _Agg()
    for e in els:
        total.add(tree.agg[e])
        total.text += len(_norm(e.tail))
    return total


def _has_date(tree: _Tree, els: list[etree._Element], agg: _Agg) -> bool:
    if agg.times:
        return True
    text = " ".join(tree.text(e) for e in els)[:800]
    return bool(_DATE_FALLBACK.search(text))


PAGE_WRAPPER_SHARE = 0.5  # of the page's text: a wrapper holding this much is the page itself


def _furniture_ancestry(el: etree._Element, tree: _Tree | None = None) -> bool:
    # <body>/<html> classes describe the whole page ("lang_de", "archive"), not a region of it,
    # and so do those of a wrapper around most of the page ("blq-int-nav": the page has an
    # international menu)
    page_text = tree.agg[tree.els[0]].text if tree is not None and tree.els else 0
    for a in (el, *el.iterancestors()):
        if a.tag in ("body", "html") or not _has_token(_FURNITURE, a):
            continue
        if page_text and tree.agg[a].text >= PAGE_WRAPPER_SHARE * page_text:
            continue
        if tree is not None and _has_token(_NAV_NAMES, a) and _prose(tree.agg.get(a)) and _in_sidebar(a):
            continue  # a side column named "navigation" that holds teasers' text, not a menu
        return True
    return False


def _in_sidebar(el: etree._Element) -> bool:
    """Inside an <aside> (or role=complementary): by markup, not by class names, which name
    whole page layouts "sidebarPosition-end"."""
    return any(x.tag == "aside" or (x.get("role") or "") == "complementary" for x in (el, *el.iterancestors()))


def _prose(agg: _Agg | None) -> bool:
    """Mostly text outside links: teasers or an article, not a menu of links."""
    return agg is not None and agg.extra >= NAV_PROSE and agg.extra >= agg.link


def _evaluate(tree: _Tree, els: list[etree._Element], short: list[etree._Element] = ()) -> _Group | None:
    if len(els) < MIN_CARDS:
        return None
    if any(a.tag == "p" for a in els[0].iterancestors()):
        return None  # links in running text, not cards
    flat = all(e.tag in HEADINGS for e in els)
    members = set(els)
    extents = [_flat_extent(e, members) if flat else [_lift(tree, e)] for e in els]
    aggs = [_sum_agg(tree, x) if flat else tree.agg[x[0]] for x in extents]
    headed = {i for i, a in enumerate(aggs) if a.heads <= 2 and a.stories > 3 and _headed_card(tree, extents[i], a)}
    cardlike = [i for i, a in enumerate(aggs) if a.heads <= 2 and (1 <= a.stories <= 3 or i in headed)]
    if len(cardlike) < MIN_CARDS or len(cardlike) < 0.5 * len(els):
        return None
    slots = {i: _title_slot(tree, extents[i][0], els[i]) for i in cardlike}
    cardlike = [i for i in cardlike if slots[i][0] <= MAX_LEAD]
    if len(cardlike) < MIN_CARDS:
        return None
    # templated cards keep their title in one place; prose sections and odd boxes do not
    key = _slot_key(slots, cardlike)
    if key is None:
        return None
    common, count = Counter(key(slots[i][1]) for i in cardlike).most_common(1)[0]
    if count < MIN_CARDS or count < 0.6 * len(cardlike):
        return None
    cardlike = [i for i in cardlike if key(slots[i][1]) == common]
    title_words = median(slots[i][2] for i in cardlike)
    for el in _short_titled(tree, els, list(short), key, common):
        extents.append(_flat_extent(el, members) if flat else [el])
        aggs.append(_sum_agg(tree, extents[-1]) if flat else tree.agg[el])
        cardlike.append(len(extents) - 1)
    cardlike.sort(key=lambda i: tree.order[extents[i][0]])
    # one member far longer than the rest is the page's own article sharing the markup
    extras = [aggs[i].extra for i in cardlike]
    mid = median(extras)
    cardlike = [i for i in cardlike if not (aggs[i].extra > FULL_ENTRY and aggs[i].extra > 4 * max(mid, 1))]
    if len(cardlike) < MIN_CARDS:
        return None
    if _furniture_ancestry(els[0], tree):
        return None
    extras = [aggs[i].extra for i in cardlike]
    dated = sum(_has_date(tree, extents[i], aggs[i]) for i in cardlike) / len(cardlike)
    quality = 0.0
    for i in cardlike:
        a = aggs[i]
        q = 1 + 0.5 * (a.heads > 0) + 0.7 * (a.times > 0) + min(a.extra, 400) / 150
        quality += q / (1 if i in headed else max(1, a.stories))  # topic links are no stories
    score = quality * len(cardlike) / len(els)
    in_aside = any(a.tag == "aside" or (a.get("role") or "") == "complementary"
                   or _has_token(_SIDEBAR, a) for a in els[0].iterancestors())
    return _Group([extents[i] for i in cardlike], score, extras, dated, in_aside, title_words)


def _candidate_groups(tree: _Tree) -> list[_Group]:
    by_path: dict[str, list[etree._Element]] = {}
    short: dict[str, list[etree._Element]] = {}  # untitled elements whose one heading holds a link
    for el in tree.els:
        a = tree.agg[el]
        parent = el.getparent()
        if parent is not None and tree.path.get(parent) == tree.path[el]:
            continue  # the inner of two bare wrappers: its outer one stands for it
        if a.titles:
            by_path.setdefault(tree.path[el], []).append(el)
        elif a.heads == 1 and a.head_link and a.text <= WHOLE_CARD_LINK:
            short.setdefault(tree.path[el], []).append(el)
    groups = []
    for path, els in by_path.items():
        if len(els) < MIN_CARDS:
            continue
        g = _evaluate(tree, els, short.get(path, ()))
        if g is not None:
            groups.append(g)
        # a home page prints many modules with one template: each module's list, under its own
        # parent, is a record region of its own, whose layout the modules' mix may hide
        roots = set(g.roots()) if g is not None else set()
        for part in _by_parent(els):
            # a module whose cards are all cards of the whole group adds nothing to judge
            if MIN_CARDS <= len(part) < len(els) and not all(_inside(e, roots) for e in part):
                sub = _evaluate(tree, part, short.get(path, ()))
                if sub is not None:
                    groups.append(sub)
    return groups


def _inside(el: etree._Element, roots: set[etree._Element]) -> bool:
    return el in roots or any(a in roots for a in el.iterancestors())


def _by_parent(els: list[etree._Element]) -> list[list[etree._Element]]:
    """Elements of one tag path split by their parent element, in page order."""
    parts: dict[etree._Element, list[etree._Element]] = {}
    for el in els:
        parts.setdefault(el.getparent(), []).append(el)
    return list(parts.values()) if len(parts) > 1 else []


def _select(groups: list[_Group]) -> list[_Group]:
    """Best groups first, none overlapping another (no member inside or around a chosen one)."""
    chosen: list[_Group] = []
    taken: set[etree._Element] = set()  # chosen cards and everything inside them
    around: set[etree._Element] = set()  # everything that holds a chosen card
    # ties go to the outer group, whose cards also hold date and byline
    groups.sort(key=lambda g: (-round(g.score, 3), _depth(g.members[0][0])))
    for g in groups:
        if len(chosen) >= MAX_GROUPS:
            break
        roots = list(g.roots())
        if any(r in taken or r in around for r in roots):
            continue
        chosen.append(g)
        for r in roots:
            taken.update(r.iter())
            around.update(r.iterancestors())
    return chosen


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


# ---------------------------------------------------------------- article body


def _body_chars(tree: _Tree, covered: set[etree._Element]) -> tuple[int, int, etree._Element | None]:
    """(characters, paragraphs, container) of the largest run of long low-link paragraphs outside the cards."""
    clusters: dict[etree._Element, list[int]] = {}
    for el in tree.els:
        a = tree.agg[el]
        if a.text < BODY_PARA or el in covered:
            continue
        if el.tag in ("p", "blockquote", "pre") or el.tag in ("div", "td", "section", "article"):
            if el.tag in ("p", "blockquote", "pre"):
                n, links = a.text, a.link
            else:
                # text sitting directly in a div (<br>-separated articles)
                n = _tlen(el.text) + sum(_tlen(c.tail) for c in el)
                links = 0
            if n >= BODY_PARA and links <= 0.5 * n:
                parent = el.getparent() if el.tag in ("p", "blockquote", "pre") else el
                if parent is not None:
                    clusters.setdefault(parent, []).append(n)
    for parent, lens in sorted(clusters.items(), key=lambda kv: -sum(kv[1])):
        if not _furniture_ancestry(parent):
            return sum(lens), len(lens), parent
    return 0, 0, None


def _has_body(chars: int, paras: int) -> bool:
    return (chars >= BODY_MIN_CHARS and paras >= BODY_MIN_PARAS) or chars >= BODY_SOLID_CHARS




# ---------------------------------------------------------------- fields of another group's records


FIELD_SHARE = 0.7  # share of a group's members inside another group's records to be its fields
FIELD_MAX_PER_RECORD = 2  # a category and an author link, not a list of its own


def _record_of(group: _Group) -> dict[etree._Element, int]:
    """Every element that holds exactly one card of ``group`` (its card's wrappers): element ->
    card index. Elements that hold two cards or more are regions, not records."""
    owners: dict[etree._Element, set[int]] = {}
    for i, member in enumerate(group.members):
        for root in member:
            for a in (root, *root.iterancestors()):
                owners.setdefault(a, set()).add(i)
    return {a: next(iter(s)) for a, s in owners.items() if len(s) == 1}


def _fields_of(tree: _Tree, primary: _Group, other: _Group) -> dict[int, list[etree._Element]] | None:
    """``other``'s cards by ``primary``'s card they sit in, when nearly all of them sit one or
    two to a card of ``primary`` (a teaser link, a date, category or author link)."""
    records = _record_of(primary)
    placed: dict[int, list[etree._Element]] = {}
    for member in other.members:
        root = member[0]
        i = next((records[a] for a in root.iterancestors() if a in records), None)
        if i is None:
            continue
        placed.setdefault(i, []).extend(member)
    inside = sum(len(v) for v in placed.values())
    if inside < FIELD_SHARE * sum(len(m) for m in other.members):
        return None
    per = sorted(len(v) for v in placed.values())
    return placed if per[len(per) // 2] <= FIELD_MAX_PER_RECORD else None


def _topic_lists(tree: _Tree, primary: _Group, other: _Group) -> bool:
    """``other``'s cards are lists inside ``primary``'s headed cards (their topics, tags or
    hubs): nearly all of them sit several to a card, carry no heading and are shorter than
    the headlines they sit under."""
    if _headed(tree, primary) < 0.5 or _headed(tree, other) > 0 or other.title_words >= primary.title_words:
        return False
    records = _record_of(primary)
    placed = Counter(next((records[a] for a in m[0].iterancestors() if a in records), None) for m in other.members)
    inside = sum(n for i, n in placed.items() if i is not None)
    return inside >= FIELD_SHARE * len(other.members) and median(n for i, n in placed.items() if i is not None) > 1


def _remeasure(tree: _Tree, group: _Group) -> None:
    """Teaser text and dates of cards that gained fields."""
    aggs = [_sum_agg(tree, m) for m in group.members]
    group.extras = [a.extra for a in aggs]
    group.dated = sum(_has_date(tree, m, a) for m, a in zip(group.members, aggs, strict=True)) / len(aggs)


def _headed(tree: _Tree, group: _Group) -> float:
    """Share of the group's cards that hold a heading."""
    return sum(any(tree.agg[e].heads for e in m) for m in group.members) / len(group.members)


def merge_fields(tree: _Tree, groups: list[_Group]) -> list[_Group]:
    """A second link inside each record of a chosen group (its teaser, date or category link)
    is a field of that record, not a record region of its own: its elements join the record."""
    # the record is the group whose cards carry the headline: headings first, then the score
    ordered = sorted(groups, key=lambda g: (-_headed(tree, g), -g.score, tree.order[g.members[0][0]]))
    kept: list[_Group] = []
    for g in ordered:
        found = next(((k, f) for k in kept if (f := _fields_of(tree, k, g)) is not None), None)
        if found is None:
            if not any(_topic_lists(tree, k, g) for k in kept):
                kept.append(g)
            continue
        host, fields = found
        for i, els in fields.items():
            host.members[i] = [*host.members[i], *els]
        _remeasure(tree, host)
    return [g for g in groups if g in kept]


def _path_below(base: etree._Element, el: etree._Element) -> str:
    """The tag signatures from just below ``base`` down to ``el``'s parent, joined by "/"."""
    rel = []
    for a in el.iterancestors():
        if a is base:
            break
        rel.append(_sig(a))
    return "/".join(reversed(rel))
