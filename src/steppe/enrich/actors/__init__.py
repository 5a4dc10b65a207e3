"""The actor knowledge base: who is who, with aliases, transliterations and term dates.

Data lives in YAML files beside this module (``countries.yaml``, ``places.yaml``,
``organisations.yaml``, ``bodies.yaml``, ``people_*.yaml``, ``administrations.yaml``). Users add their own
actors and aliases without touching code: :meth:`KnowledgeBase.load` also reads every
file named in ``$STEPPE_ACTORS`` (an ``os.pathsep`` list) and
``~/.config/steppe/actors.yaml`` when present, after the shipped files.

File format (every top-level key optional)::

    countries:      # each also yields a government actor <ID>.GOV and a capital place
      - {id: KAZ, a2: KZ, name: Kazakhstan, demonyms: [Kazakh, Kazakhstani], qid: Q232,
         capital: Astana, capital_aliases: [Nur-Sultan, Akmola], seats: [Akorda]}
    places:         # cities and regions; metonym: the government they stand for as subjects
      - {id: kz.almaty, name: Almaty, country: KAZ, aliases: [Alma-Ata]}
    organisations:
      - {id: CSTO, name: Collective Security Treaty Organization, aliases: [ODKB]}
    bodies:         # ministries, parliaments, security services
      - {id: RUS.MFA, name: Russian Foreign Ministry, country: RUS, parent: RUS.GOV}
    people:
      - id: kz.tokayev
        name: Kassym-Jomart Tokayev
        country: KAZ
        aliases: [Tokaev]
        weak: []          # aliases too ambiguous to find on their own (used only to link
                          # a span spaCy already tagged with a compatible label)
        roles: [{role: head_of_state, of: KAZ, start: 2019-03-20, end: null}]
    aliases:        # extra aliases for actors defined anywhere (user files)
      KAZ.GOV: [Ak Orda]
    standard_bodies:  # bodies every listed state has, made where no file defines them
      countries: [KAZ, CHN]
      kinds: {ENERGY: Ministry of Energy}      # -> CHN.ENERGY "Ministry of Energy of China"
    administrations:  # city and regional administrations, made for the listed places
      - {ru: акимат, en: Akimat, places: [kz.almaty]}  # -> kz.almaty.akimat "Akimat of Almaty"

A later file's entry with an existing id updates it: lists are extended, scalars replaced.
People get their surname (last word of ``name``) as an alias automatically unless it is
listed in ``weak`` or ``surname: false`` is set.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from steppe.enrich.normalise import fold, is_acronym, strip_article, to_ascii

DATA_DIR = Path(__file__).resolve().parent
USER_FILE = Path("~/.config/steppe/actors.yaml")
ENV_VAR = "STEPPE_ACTORS"

TYPES = ("country", "government", "person", "organisation", "place", "body")

# How much an alias kind says about identity: used as the lookup score.
KIND_SCORE = {
    "id": 1.0,
    "name": 1.0,
    "alias": 0.95,
    "seat": 0.95,
    "generated": 0.9,
    "surname": 0.85,
    "demonym": 0.8,
    "weak": 0.6,
}
# Kinds a text scanner may use to find a mention spaCy missed (high precision only).
STRONG_KINDS = frozenset({"name", "alias", "seat", "generated", "surname"})


@dataclass
class Actor:
    """One canonical actor. ``id`` styles: 'KAZ', 'KAZ.GOV', 'kz.tokayev', 'CSTO', 'kz.astana'."""

    id: str
    name: str
    type: str  # country | government | person | organisation | place | body
    country: str | None = None  # ISO 3166 alpha-3
    aliases: list[str] = field(default_factory=list)
    qid: str | None = None
    roles: list[dict] = field(default_factory=list)
    parent: str | None = None
    # Additive extras (not part of the frozen API, safe to ignore):
    demonyms: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    metonym: str | None = None  # places: the government actor they stand for as subjects
    capital: str | None = None  # countries: the capital's place id
    a2: str | None = None  # countries: ISO alpha-2
    auto_surname: bool = True  # people: index the last word of the name as an alias

    def roles_at(self, date: str | None) -> list[dict]:
        """Roles held on ``date`` (ISO prefix); all roles when date is None."""
        return [r for r in self.roles if date is None or role_active(r, date)]


def role_active(role: dict, date: str) -> bool:
    """Is ``role`` held on ``date``? Compares ISO prefixes, so '2019' counts the whole year."""
    start, end = str(role.get("start") or ""), str(role.get("end") or "")
    if start and date < start[: len(date)]:
        return False
    return not (end and date > end[: len(date)])


@dataclass(frozen=True)
class AliasEntry:
    actor_id: str
    kind: str  # see KIND_SCORE
    text: str  # the alias as written (to check case for acronyms)


class KnowledgeBase:
    """Actors plus a folded-alias index built once at load time."""

    def __init__(self, actors: Iterable[Actor] = (), same_as: dict[str, str] | None = None) -> None:
        self._actors: dict[str, Actor] = {}
        for actor in actors:
            self._actors[actor.id] = actor
        # other ids of one actor: a standard body kind a state has merged into another body
        # ("KGZ.WATER" is its Ministry of Water Resources, Agriculture and Processing Industry)
        self.same_as: dict[str, str] = dict(same_as or {})
        self._build_index()

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_paths: Iterable[str | Path] = ()) -> KnowledgeBase:
        """Shipped YAML files, then $STEPPE_ACTORS files, ~/.config/steppe/actors.yaml, extra_paths."""
        paths: list[Path] = sorted(DATA_DIR.glob("*.yaml"))
        env = os.environ.get(ENV_VAR, "")
        paths += [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
        user = USER_FILE.expanduser()
        if user.is_file():
            paths.append(user)
        paths += [Path(p).expanduser() for p in extra_paths]
        builder = _Builder()
        for path in paths:
            if not path.is_file():
                raise FileNotFoundError(f"actor file not found: {path}")
            builder.add_file(path)
        return cls(builder.finish(), same_as=builder.same_as)

    def _build_index(self) -> None:
        index: dict[str, list[AliasEntry]] = defaultdict(list)
        roles: dict[tuple[str, str], list[tuple[Actor, dict]]] = defaultdict(list)

        weak_keys: dict[str, set[str]] = defaultdict(set)
        for a in self._actors.values():
            for w in a.weak:
                weak_keys[a.id].add(fold(strip_article(w)))

        def add(text: str, actor_id: str, kind: str) -> None:
            key = fold(strip_article(text))
            if not key:
                return
            if key in weak_keys.get(actor_id, ()):
                kind = "weak"  # a name listed as weak stays weak (Georgia, Jordan)
            entries = index[key]
            for i, e in enumerate(entries):
                if e.actor_id == actor_id:
                    if KIND_SCORE[kind] > KIND_SCORE[e.kind]:
                        entries[i] = AliasEntry(actor_id, kind, text)
                    return
            entries.append(AliasEntry(actor_id, kind, text))

        for a in self._actors.values():
            add(a.name, a.id, "name")
            for alias in a.aliases:
                add(alias, a.id, "alias")
            for seat in a.seats:
                add(seat, a.id, "seat")
            for dem in a.demonyms:
                add(dem, a.id, "demonym")
            for w in a.weak:
                add(w, a.id, "weak")
            if a.type == "person":
                for r in a.roles:
                    roles[(r.get("role", ""), r.get("of", ""))].append((a, r))
            if a.type == "government" and a.parent in self._actors:
                country = self._actors[a.parent]
                for text in _government_phrases(country):
                    add(text, a.id, "generated")
        for a in self._actors.values():
            if a.type == "person":
                surname = _surname(a)
                if surname and fold(surname) not in weak_keys.get(a.id, ()):
                    add(surname, a.id, "surname")
        self._index = dict(index)
        self._roles = dict(roles)
        self.max_alias_words = max((len(k.split()) for k in self._index), default=1)
        self._prefixes = {
            " ".join(k.split()[:n]) for k in self._index for n in range(1, len(k.split()))
        }

    # --- queries ---------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors or actor_id in self.same_as

    def get(self, actor_id: str) -> Actor | None:
        found = self._actors.get(actor_id)
        if found is None and actor_id in self.same_as:
            found = self._actors.get(self.same_as[actor_id])
        return found

    def entries(self, key: str) -> list[AliasEntry]:
        """Index entries for an already-folded key."""
        return self._index.get(key, [])

    def is_prefix(self, key: str) -> bool:
        """Is the folded ``key`` the start of some longer alias (for left-to-right scanning)?"""
        return key in self._prefixes

    def lookup(self, name: str) -> list[tuple[Actor, float]]:
        """Actors whose folded name/alias equals the folded ``name``, best score first."""
        scored = [
            (self._actors[e.actor_id], KIND_SCORE[e.kind])
            for e in self.entries(fold(strip_article(name)))
            if _case_ok(e, name)
        ]
        return sorted(scored, key=lambda p: -p[1])

    def resolve(self, query: str) -> Actor | None:
        """For the CLI: an id (any case), a name or an alias; None when unknown or ambiguous."""
        q = query.strip()
        if q in self._actors:
            return self._actors[q]
        by_upper = {k.upper(): v for k, v in self._actors.items()}
        if q.upper() in by_upper and (is_acronym(q) or "." in q):
            return by_upper[q.upper()]
        hits = self.lookup(q) or [
            (self._actors[e.actor_id], KIND_SCORE[e.kind]) for e in self.entries(fold(q))
        ]
        if not hits:
            return by_upper.get(q.upper())
        best = [a for a, s in hits if s == hits[0][1]]
        return best[0] if len({a.id for a in best}) == 1 else None

    def government_of(self, country: str) -> Actor | None:
        return self._actors.get(f"{country.upper()}.GOV")

    def holders(self, role: str, of: str, date: str | None = None) -> list[Actor]:
        """People holding ``role`` of ``of`` on ``date`` (every holder ever when date is None)."""
        out: list[Actor] = []
        for actor, r in self._roles.get((role, of), []):
            if (date is None or role_active(r, date)) and actor not in out:
                out.append(actor)
        return out

    def country_of_demonym(self, text: str, weak: bool = False) -> Actor | None:
        """The country whose demonym or name ``text`` is ('Kazakh', 'Kazakhstan's' -> KAZ);
        with ``weak`` also a name listed as weak ('Niger', 'Georgia'), for callers whose
        context already says a country is meant ("Niger's ambassador")."""
        kinds = ("demonym", "name", "alias") + (("weak",) if weak else ())
        for e in self.entries(fold(text)):
            a = self._actors[e.actor_id]
            if a.type == "country" and e.kind in kinds:
                return a
        return None


def _surname(actor: Actor) -> str | None:
    if not actor.auto_surname:
        return None
    parts = actor.name.split()
    return parts[-1] if len(parts) > 1 else None


def _case_ok(entry: AliasEntry, text: str) -> bool:
    """An acronym alias (CIS, SCO) only matches upper-case text, so 'cis' or 'Sco' do not."""
    if is_acronym(entry.text) and len(entry.text) <= 5:
        return strip_article(text).upper() == strip_article(text)
    return True


def _government_phrases(country: Actor) -> list[str]:
    names = [country.name, *country.aliases[:2]]
    out = [f"government of {n}" for n in names] + [f"{n} government" for n in names]
    for dem in country.demonyms[:2]:
        out += [f"{dem} government", f"{dem} authorities", f"{dem} leadership"]
    return out


class _Builder:
    """Merges YAML files into actors; later files update earlier ones."""

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.pending_aliases: list[tuple[str, list[str]]] = []
        self.pending_bodies: list[tuple[str, str, str]] = []  # (country, id suffix, title)
        self.pending_admins: list[tuple[str, str, str]] = []  # (place id, Russian, English word)
        self.same_as: dict[str, str] = {}  # a standard body's id -> the body a state merged it into

    def add_file(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of sections (countries, people, ...)")
        for entry in data.get("countries") or []:
            self._country(entry)
        for section, kind in (
            ("places", "place"),
            ("organisations", "organisation"),
            ("organizations", "organisation"),
            ("bodies", "body"),
            ("people", "person"),
            ("actors", None),
        ):
            for entry in data.get(section) or []:
                self._merge(_actor_from(entry, kind, path))
        for actor_id, aliases in (data.get("aliases") or {}).items():
            self.pending_aliases.append((str(actor_id), [str(a) for a in aliases or []]))
        standard = data.get("standard_bodies") or {}
        for country in standard.get("countries") or []:
            for suffix, title in (standard.get("kinds") or {}).items():
                self.pending_bodies.append((str(country).upper(), str(suffix), str(title)))
        for body_id, actual in (standard.get("same_as") or {}).items():
            self.same_as[str(body_id)] = str(actual)
        for entry in data.get("administrations") or []:
            for place in entry.get("places") or []:
                self.pending_admins.append((str(place), str(entry["ru"]), str(entry["en"])))

    def _country(self, e: dict[str, Any]) -> None:
        cid = str(e["id"]).upper()
        a2 = str(e.get("a2") or "").upper() or None
        capital_id = None
        if e.get("capital"):
            capital_id = f"{(a2 or cid).lower()}.{_slug(e['capital'])}"
            self._merge(
                Actor(
                    id=capital_id,
                    name=str(e["capital"]),
                    type="place",
                    country=cid,
                    aliases=[str(a) for a in e.get("capital_aliases") or []],
                    qid=e.get("capital_qid"),
                    parent=cid,
                    metonym=f"{cid}.GOV",
                )
            )
        self._merge(
            Actor(
                id=cid,
                name=str(e["name"]),
                type="country",
                country=cid,
                aliases=[str(a) for a in e.get("aliases") or []],
                qid=e.get("qid"),
                demonyms=[str(d) for d in e.get("demonyms") or []],
                weak=[str(w) for w in e.get("weak") or []],
                capital=capital_id,
                a2=a2,
            )
        )
        self._merge(
            Actor(
                id=f"{cid}.GOV",
                name=f"Government of {e['name']}",
                type="government",
                country=cid,
                seats=[str(s) for s in e.get("seats") or []],
                aliases=[str(a) for a in e.get("government_aliases") or []],
                parent=cid,
            )
        )

    def _merge(self, new: Actor) -> None:
        old = self.actors.get(new.id)
        if old is None:
            self.actors[new.id] = new
            return
        for name in ("aliases", "roles", "demonyms", "weak", "seats"):
            merged = list(getattr(old, name))
            merged += [x for x in getattr(new, name) if x not in merged]
            setattr(old, name, merged)
        for name in ("qid", "parent", "metonym", "capital", "a2", "country"):
            if getattr(new, name) is not None:
                setattr(old, name, getattr(new, name))
        old.auto_surname = old.auto_surname and new.auto_surname
        if new.name and new.name != old.name:
            if old.name not in old.aliases:
                old.aliases.append(old.name)
            old.name = new.name

    def finish(self) -> list[Actor]:
        for actor_id, aliases in self.pending_aliases:
            actor = self.actors.get(actor_id)
            if actor is None:
                raise KeyError(f"aliases given for unknown actor id {actor_id!r}")
            actor.aliases += [a for a in aliases if a not in actor.aliases]
        for country_id, suffix, title in self.pending_bodies:
            country = self.actors.get(country_id)
            body_id = f"{country_id}.{suffix}"
            if country is not None and body_id not in self.actors and body_id not in self.same_as:
                # the English name only: the Russian linker finds "Минэнерго Китая" by kind
                parent = country_id if suffix.endswith("COURT") else f"{country_id}.GOV"
                self.actors[body_id] = Actor(id=body_id, name=f"{title} of {country.name}", type="body",
                                             country=country_id, parent=parent)
        for place_id, ru, en in self.pending_admins:
            place = self.actors.get(place_id)
            if place is None:
                raise KeyError(f"administration given for unknown place id {place_id!r}")
            admin_id = f"{place_id}.{_slug(en)}"
            if admin_id not in self.actors:
                self._merge(_administration(admin_id, place, ru, en))
        return list(self.actors.values())


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _administration(admin_id: str, place: Actor, ru: str, en: str) -> Actor:
    """A city's or region's administration ("акимат Алматы", "хокимият Ташкентской области"):
    the place's Cyrillic names after the body word (the Russian linker matches their cases by
    lemma, "акимата Алматы" as "акимат Алматы"), "города X" for a city, English "X Akimat"."""
    region = "region" in place.id or "oblast" in place.name.lower() or "region" in place.name.lower()
    names = [n for n in [place.name, *place.aliases] if _CYRILLIC.search(n)]
    aliases = [f"{place.name} {en}", f"{en} of the {place.name}" if region else f"{place.name} city {en.lower()}"]
    for name in names:
        aliases.append(f"{ru} {name}")
        if not region and "област" not in name:
            aliases.append(f"{ru} города {name}")
    return Actor(id=admin_id, name=f"{en} of {place.name}", type="body", country=place.country,
                 aliases=aliases, parent=place.id)


def _actor_from(e: dict[str, Any], kind: str | None, path: Path) -> Actor:
    if "id" not in e or "name" not in e:
        raise ValueError(f"{path}: every actor needs an id and a name: {e!r}")
    atype = str(e.get("type") or kind or "")
    if atype not in TYPES:
        raise ValueError(f"{path}: actor {e['id']!r} has unknown type {atype!r}")
    roles = []
    for r in e.get("roles") or []:
        r = dict(r)
        for k in ("start", "end"):
            if r.get(k) is not None:
                r[k] = str(r[k])
        r.setdefault("end", None)
        roles.append(r)
    return Actor(
        id=str(e["id"]),
        name=str(e["name"]),
        type=atype,
        country=(str(e["country"]).upper() if e.get("country") else None),
        aliases=[str(a) for a in e.get("aliases") or []],
        qid=e.get("qid"),
        roles=roles,
        parent=e.get("parent"),
        demonyms=[str(d) for d in e.get("demonyms") or []],
        weak=[str(w) for w in e.get("weak") or []],
        seats=[str(s) for s in e.get("seats") or []],
        metonym=e.get("metonym"),
        auto_surname=e.get("surname") is not False,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", to_ascii(text).lower()).strip("-") or "x"


__all__ = ["Actor", "AliasEntry", "KnowledgeBase", "role_active"]
