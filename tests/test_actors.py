"""The actor knowledge base and name folding (no spaCy needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.enrich.actors import KnowledgeBase
from steppe.enrich.normalise import fold


@pytest.mark.parametrize(
    "variants",
    [
        ["Kassym-Jomart Tokayev", "Kassym-Zhomart Tokayev", "Kasym-Jomart Tokaev", "Касым-Жомарт Токаев",
         "Қасым-Жомарт Тоқаев", "Qasym-Jomart Toqaev"],
        ["Nazarbayev", "Nazarbaev", "Назарбаев"],
        ["Mirziyoyev", "Mirziyoev", "Мирзиёев"],
        ["Zelensky", "Zelenskyy", "Zelenskiy", "Зеленський"],
        ["Rahmon", "Rakhmon", "Рахмон"],
        ["Japarov", "Zhaparov", "Dzhaparov", "Жапаров"],
        ["Gorbachev", "Gorbachyov", "Горбачёв"],
        ["Berdimuhamedow", "Berdymukhamedov", "Berdimuhammedov"],
    ],
)
def test_fold_merges_romanisations(variants: list[str]) -> None:
    assert len({fold(v) for v in variants}) == 1, {v: fold(v) for v in variants}


def test_fold_keeps_different_names_apart() -> None:
    assert fold("Tokayev") != fold("Tokarev")
    assert fold("Putin") != fold("Pushkin")


@pytest.mark.parametrize(
    "name, actor_id",
    [
        ("Tokaev", "kz.tokayev"),
        ("Токаев", "kz.tokayev"),
        ("Kassym-Zhomart", "kz.tokayev"),
        ("Kassym-Zhomart Tokayev", "kz.tokayev"),
        ("Nur-Sultan", "kz.astana"),
        ("Akmola", "kz.astana"),
        ("Tselinograd", "kz.astana"),
        ("Alma-Ata", "kz.almaty"),
        ("Akorda", "KAZ.GOV"),
        ("the Kremlin", "RUS.GOV"),
        ("Zhongnanhai", "CHN.GOV"),
        ("White House", "USA.GOV"),
        ("Downing Street", "GBR.GOV"),
        ("Élysée", "FRA.GOV"),
        ("Kiev", "ua.kyiv"),
        ("Collective Security Treaty Organisation", "CSTO"),
        ("Turkic Council", "OTS"),
        ("Caspian Pipeline Consortium", "CPC"),
        ("Shanghai Cooperation Organization", "SCO"),
        ("Lukashenka", "by.lukashenko"),
    ],
)
def test_lookup(kb: KnowledgeBase, name: str, actor_id: str) -> None:
    hits = kb.lookup(name)
    assert hits and hits[0][0].id == actor_id


def test_acronyms_need_upper_case(kb: KnowledgeBase) -> None:
    assert kb.lookup("CIS")[0][0].id == "CIS"
    assert kb.lookup("cis") == []


def test_resolve_ids_names_aliases(kb: KnowledgeBase) -> None:
    assert kb.resolve("KAZ").id == "KAZ"
    assert kb.resolve("kaz.gov").id == "KAZ.GOV"
    assert kb.resolve("Tokayev").id == "kz.tokayev"
    assert kb.resolve("Kazakhstan").id == "KAZ"
    assert kb.resolve("Japarov") is None  # two Japarovs: ambiguous, not guessed
    assert kb.resolve("no such actor") is None


def test_government_and_capital(kb: KnowledgeBase) -> None:
    gov = kb.government_of("KAZ")
    assert gov is not None and gov.type == "government" and gov.parent == "KAZ"
    astana = kb.get("kz.astana")
    assert astana.type == "place" and astana.metonym == "KAZ.GOV" and astana.country == "KAZ"
    assert kb.get("KAZ").capital == "kz.astana"


def test_holders_by_date(kb: KnowledgeBase) -> None:
    assert [a.id for a in kb.holders("head_of_state", "KAZ", "2018-06-01")] == ["kz.nazarbayev"]
    assert [a.id for a in kb.holders("head_of_state", "KAZ", "2023-11")] == ["kz.tokayev"]
    assert [a.id for a in kb.holders("head_of_state", "USA", "2022")] == ["us.biden"]
    assert [a.id for a in kb.holders("foreign_minister", "RUS", "2023-11-12")] == ["ru.lavrov"]


def test_every_country_is_well_formed(kb: KnowledgeBase) -> None:
    countries = [a for a in kb if a.type == "country"]
    assert len(countries) >= 190
    for c in countries:
        assert len(c.id) == 3 and c.id.isupper(), c.id
        assert kb.government_of(c.id) is not None


def test_people_roles_are_well_formed(kb: KnowledgeBase) -> None:
    for a in kb:
        for r in a.roles:
            assert r.get("role") and r.get("of"), (a.id, r)
            assert r.get("of") in kb or r["of"].split(".")[0] in kb, (a.id, r)
            if r.get("end"):
                assert r["start"] <= r["end"], (a.id, r)


def test_user_file_adds_actors_and_aliases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "people:\n"
        "  - {id: kz.niyazbekov, name: Nurseit Niyazbekov, country: KAZ}\n"
        "aliases:\n"
        "  KAZ.GOV: [Ak Saray]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STEPPE_ACTORS", str(extra))
    kb = KnowledgeBase.load()
    assert kb.lookup("Niyazbekov")[0][0].id == "kz.niyazbekov"
    assert kb.lookup("Ak Saray")[0][0].id == "KAZ.GOV"


def test_missing_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        KnowledgeBase.load([tmp_path / "nope.yaml"])


def test_shipped_yaml_entries_use_known_keys() -> None:
    """Catches YAML flow-mapping slips: an unquoted comma in a name silently makes a new key."""
    import yaml

    from steppe.enrich.actors import DATA_DIR

    allowed = {"id", "a2", "name", "aliases", "demonyms", "capital", "capital_aliases",
               "capital_qid", "seats", "qid", "weak", "government_aliases", "country", "parent",
               "roles", "surname", "type", "metonym"}  # fmt: skip
    for path in DATA_DIR.glob("*.yaml"):
        for section, entries in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if section == "aliases":  # {actor id: [alias, ...]} for actors defined elsewhere
                assert all(isinstance(a, str) for v in entries.values() for a in v), path.name
                continue
            if section == "standard_bodies":  # {countries: [ISO3], kinds: {SUFFIX: title}, same_as: {id: id}}
                assert set(entries) <= {"countries", "kinds", "same_as"}, path.name
                assert all(isinstance(t, str) for t in entries["kinds"].values()), path.name
                assert all("." in k and "." in v for k, v in (entries.get("same_as") or {}).items()), path.name
                continue
            if section == "administrations":  # [{ru, en, places: [place id]}]
                assert all(set(e) == {"ru", "en", "places"} for e in entries), path.name
                continue
            for e in entries:
                assert set(e) <= allowed, (path.name, section, e.get("id"), set(e) - allowed)
                for key in ("aliases", "capital_aliases", "seats", "weak", "demonyms"):
                    assert all(isinstance(x, str) for x in e.get(key) or []), (path.name, e["id"])
