"""State bodies named by kind, resolved by the country the text attaches to them or by the
country of their context; city administrations; first names that are not a known bearer's;
reported-speech accusations. The sentences are written for these tests."""

from __future__ import annotations

import pytest

from steppe.enrich.russian import RussianEnricher


def linked(russian: RussianEnricher, text: str) -> dict[str, str | None]:
    return {m.text: m.actor for m in russian.annotate(text, date="2024-05-01")}


def main_event(russian: RussianEnricher, text: str):
    _, events = russian.enrich(text, date="2024-05-01")
    return max(events, key=lambda e: e.confidence) if events else None


def test_standard_bodies_and_administrations_are_in_the_knowledge_base(kb):
    assert kb.get("CHN.ENERGY").name == "Ministry of Energy of China"
    assert kb.get("CHN.ENERGY").parent == "CHN.GOV"
    assert kb.get("USA.MFA") is None  # not a listed state: the State Department stays USA.STATE
    akimat = kb.get("kz.almaty.akimat")
    assert akimat.name == "Akimat of Almaty" and akimat.parent == "kz.almaty"
    assert kb.resolve("Almaty Akimat") is akimat
    assert kb.get("uz.tashkent.hokimiyat").country == "UZB"
    assert kb.get("kz.mangystau-region.akimat").name == "Akimat of Mangystau Region"


@pytest.mark.parametrize("text, mention, actor", [
    ("Об этом сообщили в Министерстве энергетики Китая.", "Министерстве энергетики Китая", "CHN.ENERGY"),
    ("Минэнерго Турции опубликовало прогноз.", "Минэнерго Турции", "TUR.ENERGY"),
    ("Делегация встретилась с представителями Минэкономики Азербайджана.",
     "Минэкономики Азербайджана", "AZE.ECONOMY"),
    ("Узбекский МИД выразил соболезнования.", "Узбекский МИД", "UZB.MFA"),
    ("Представитель казахстанского Минфина отказался от комментариев.", "казахстанского Минфина",
     "KAZ.FINANCE"),
    ("Сотрудники акимата Алматы провели проверку.", "акимата Алматы", "kz.almaty.akimat"),
    ("По данным акимата города Шымкента, ремонт завершен.", "акимата города Шымкента",
     "kz.shymkent.akimat"),
    ("Жители обратились в хокимият Ташкента.", "хокимият Ташкента", "uz.tashkent.hokimiyat"),
    ("Мэрия Бишкека объявила конкурс.", "Мэрия Бишкека", "kg.bishkek.mayoralty"),
])
def test_bodies_named_by_kind_link_in_any_case(russian, text, mention, actor):
    got = linked(russian, text)
    assert got.get(mention) == actor, got


def test_a_bare_body_takes_the_one_fitting_country_of_its_sentence(russian):
    got = linked(russian, "Токаев подписал закон, принятый Сенатом в апреле.")
    assert got["Сенатом"] == "KAZ.SENATE"
    got = linked(russian, "Спикер Сената Маулен Ашимбаев провел заседание.")
    assert got["Сената"] == "KAZ.SENATE"  # the person the body introduces
    got = linked(russian, "Глава МИД Сергей Лавров провел переговоры в Пекине.")
    assert got["МИД"] == "RUS.MFA"
    # Russia has no body called Senate: the Kazakh one is the only fit here
    got = linked(russian, "Сенат одобрил соглашение Казахстана с Россией.")
    assert got["Сенат"] == "KAZ.SENATE"


def test_a_bare_body_stays_unlinked_when_its_context_is_ambiguous(russian):
    got = linked(russian, "Сенат одобрил соглашение между Казахстаном и Узбекистаном.")
    assert got.get("Сенат") is None  # both states have a Senate
    got = linked(russian, "Правительство объявило о новых мерах.")
    assert got.get("Правительство") is None  # no country anywhere


def test_a_bare_body_takes_the_country_of_its_item(russian):
    text = ("Касым-Жомарт Токаев провел совещание в Акорде. "
            "По его итогам правительство получило ряд поручений.")
    got = linked(russian, text)
    assert got["правительство"] == "KAZ.GOV"


def test_a_surname_after_another_first_name_is_not_its_known_bearer(russian):
    got = linked(russian, "Министр Бекболот Алиев посетил Ош.")
    assert "az.aliyev-ilham" not in got.values()
    assert "kg.bekbolotov" not in got.values()  # "Бекболот" is not "Бекболотов"
    got = linked(russian, "Переговоры с Ильхамом Алиевым прошли в Баку.")
    assert got["Ильхамом Алиевым"] == "az.aliyev-ilham"
    got = linked(russian, "Аким Нурдаулет Килыбай провел прием граждан.")
    assert got["Нурдаулет Килыбай"] == "kz.kilybay"


@pytest.mark.parametrize("text, source, target", [
    ("Мария Захарова заявила, что Евросоюз шантажирует страны Центральной Азии.",
     "ru.zakharova", "EU"),
    ("Сергей Лавров заявил, что в срыве переговоров виноват Киев.", "ru.lavrov", "UKR.GOV"),
    ("Никол Пашинян заявил, что Азербайджан не выполняет свои обязательства.",
     "am.pashinyan", "AZE"),
])
def test_reported_blame_is_an_accusation_by_the_speaker(russian, text, source, target):
    ev = main_event(russian, text)
    assert ev is not None and ev.type == "ACCUSE" and ev.mode == "allege"
    assert ev.source.actors == [source] and ev.target.actors == [target]


def test_the_speakers_own_side_and_future_acts_are_not_accusations(russian):
    ev = main_event(russian, "Виктор Хренин заявил, что Минск ответит на любую провокацию.")
    assert ev is None or ev.type != "ACCUSE"
    ev = main_event(russian, "Дмитрий Песков заявил, что Россия обстреливает только военные цели.")
    assert ev is None or ev.type != "ACCUSE"


def test_criticism_spelled_out_as_an_accusation_is_an_accusation(russian):
    ev = main_event(russian, "С критикой в адрес ЕАЭС выступил Садыр Жапаров, обвинивший партнеров "
                             "в нарушении договоренностей.")
    assert ev is not None and ev.type == "ACCUSE"
    assert ev.source.actors == ["kg.japarov-sadyr"]


@pytest.mark.parametrize("text, mention, actor", [
    ("Октябрьский районный суд Бишкека арестовал блогера.", "Октябрьский районный суд Бишкека",
     "KGZ.COURT"),
    ("Суд Алматы вынес приговор.", "Суд Алматы", "KAZ.COURT"),
    ("Верховный суд Узбекистана отклонил жалобу.", "Верховный суд Узбекистана", "UZB.SUPREMECOURT"),
    ("По данным Нацстаткома Кыргызстана, инфляция замедлилась.", "Нацстаткома Кыргызстана", "KGZ.STAT"),
    ("Об этом сообщили в министерстве энергетики РК.", "министерстве энергетики РК", "KAZ.ENERGY"),
    ("Закон одобрила верхняя палата парламента Казахстана.", "верхняя палата парламента Казахстана",
     "KAZ.SENATE"),
])
def test_courts_chambers_and_lower_case_bodies(russian, text, mention, actor):
    got = linked(russian, text)
    assert got.get(mention) == actor, got


def test_a_foreign_name_declined_like_a_noun_links(russian):
    assert linked(russian, "Переговоры с Шольцем прошли в Берлине.")["Шольцем"] == "de.scholz"


def test_the_speakers_side_striking_back_is_a_threat(russian):
    ev = main_event(russian, "Виктор Хренин заявил, что Минск ответит на любую провокацию со стороны Польши.")
    assert ev is not None and ev.type == "THREATEN"
    assert ev.source.actors == ["by.khrenin"] and ev.target.actors == ["POL"]


@pytest.mark.parametrize("text, actor", [
    ("Встреча с акимом Шымкента Габитом Сыздыкбековым прошла в акимате.", "kz.syzdykbekov"),
    ("Поручение дано вице-премьеру Нурлану Байбазарову.", "kz.baibazarov"),
    ("Письмо направлено Министерству обороны Турции.", "TUR.MOD"),
    ("Переговоры с Минэнерго Азербайджана завершились.", "AZE.ENERGY"),
    ("Решение согласовано с хокимиятом Самаркандской области.", "uz.samarkand-region.hokimiyat"),
    ("Заявление сделано Национальным банком Кыргызстана.", "KGZ.NBKR"),
])
def test_new_actors_link_in_oblique_cases(russian, text, actor):
    assert actor in linked(russian, text).values()
