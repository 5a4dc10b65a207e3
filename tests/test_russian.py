"""Russian-language sources: language detection, inflected names linked across scripts,
events from Russian sentences, Russian page dates, and keyword search across cases and
scripts. The sentences and pages here are written for these tests."""

from __future__ import annotations

import pytest

from steppe.language import detect_language
from steppe.language.russian import lemma_candidates
from steppe.model import RawDocument
from steppe.store.query import to_fts_query
from steppe.store.variants import query_variants


def actors(mentions) -> dict[str, str | None]:
    return {m.text: m.actor for m in mentions}


# ---------------------------------------------------------------- language


def test_language_of_russian_english_and_too_short_texts():
    assert detect_language("Президент Казахстана провёл переговоры с премьер-министром Индии.") == "ru"
    assert detect_language("Tokayev met Putin in Astana on Thursday") == "en"
    assert detect_language("Қасым-Жомарт Тоқаев Астанада шетелдік инвесторлармен кездесті") == "kk"
    assert detect_language("МИД РК") is None  # too little text to tell
    assert detect_language("") is None


# ---------------------------------------------------------------- linking


def test_inflected_names_link_to_the_same_actors(russian):
    text = ("Переговоры с Токаевым прошли в Астане. Путину передали послание из Кремля. "
            "Лидеры ОДКБ и ЕАЭС собрались в Бишкеке, а МИДа Казахстана там не было.")
    got = actors(russian.annotate(text))
    assert got["Токаевым"] == "kz.tokayev"
    assert got["Путину"] == "ru.putin"
    assert got["Астане"] == "kz.astana"
    assert got["ОДКБ"] == "CSTO"
    assert got["ЕАЭС"] == "EAEU"
    assert got["Бишкеке"] == "kg.bishkek"
    assert got["МИДа Казахстана"] == "KAZ.MFA"  # one mention, not МИД + Казахстан
    for m in russian.annotate(text):
        assert text[m.start:m.end] == m.text


def test_full_names_in_any_case_and_ambiguous_surnames(russian):
    text = "Шавкат Мирзиёев провёл телефонный разговор с Садыром Жапаровым. Позже Жапаров уехал."
    mentions = russian.annotate(text, date="2023-06-01")
    got = actors(mentions)
    assert got["Шавкат Мирзиёев"] == "uz.mirziyoyev"
    assert got["Садыром Жапаровым"] == "kg.japarov-sadyr"
    assert got["Жапаров"] == "kg.japarov-sadyr"  # the full name given earlier settles the surname


def test_role_phrase_is_the_office_holder_on_the_date(russian):
    text = "Президент Казахстана прибыл в Ташкент."
    assert "kz.tokayev" in actors(russian.annotate(text, date="2023-11-10")).values()
    assert "kz.nazarbayev" in actors(russian.annotate(text, date="2015-05-01")).values()
    # a name after the title links itself; the title adds nothing
    named = russian.annotate("Президент Казахстана Касым-Жомарт Токаев прибыл в Ташкент.", date="2023-11-10")
    assert [m.text for m in named if m.actor == "kz.tokayev"] == ["Касым-Жомарт Токаев"]


def test_a_capital_as_an_actor_is_its_government(russian):
    mentions = russian.annotate("Москва поддержала инициативу. Делегация прибыла в Москву.")
    by_start = sorted(mentions, key=lambda m: m.start)
    assert by_start[0].actor == "RUS.GOV" and by_start[0].role == "government"
    assert by_start[-1].actor == "ru.moscow"  # a destination stays a place


def test_lemma_candidates_keep_the_surname_reading():
    assert "токаев" in lemma_candidates("Токаевым")
    assert "токаев" in lemma_candidates("Токаев")  # pymorphy3's first guess is "токай"


# ---------------------------------------------------------------- events


def test_event_from_a_russian_sentence(russian):
    text = ("Президент Казахстана Касым-Жомарт Токаев 9 ноября 2023 года встретился "
            "с Владимиром Путиным в Астане.")
    _, events = russian.enrich(text, item_id="x")
    assert len(events) == 1
    ev = events[0]
    assert (ev.type, ev.quad) == ("CONSULT", "verbal_cooperation")
    assert ev.source.actors == ["kz.tokayev"] and ev.target.actors == ["ru.putin"]
    assert (ev.date, ev.date_precision, ev.date_raw) == ("2023-11-09", "day", "9 ноября 2023 года")
    assert ev.place == "Astana"
    assert ev.evidence == text and text[ev.evidence_start:ev.evidence_end] == text
    assert ev.item_id == "x" and ev.id


@pytest.mark.parametrize(("text", "etype", "source", "target"), [
    ("МИД Казахстана выразил протест послу России в связи с заявлением депутата Госдумы.",
     "DISAPPROVE", ["KAZ.MFA"], ["RUS"]),
    ("Лукашенко пригрозил Польше ответными мерами.", "THREATEN", ["by.lukashenko"], ["POL"]),
    ("Россия ввела санкции против США.", "SANCTION", ["RUS"], ["USA"]),
    ("Токаев и Путин договорились о сотрудничестве.", "AGREE", ["kz.tokayev"], ["ru.putin"]),
])
def test_event_types_and_roles(russian, text, etype, source, target):
    _, events = russian.enrich(text)
    assert [(e.type, e.source.actors, e.target.actors if e.target else None) for e in events] == [
        (etype, source, target)]


@pytest.mark.parametrize(("text", "etype", "source", "target"), [
    # an act verb keeps its own type over its object noun's
    ("Узбекистан отклонил предложение России.", "REJECT", ["UZB"], ["RUS"]),
    ("Армения осудила нападение на Казахстан.", "DISAPPROVE", ["ARM"], ["KAZ"]),
    # imperfective and perfective forms of the same act
    ("Россия разместила войска в Таджикистане.", "MOBILIZE", ["RUS"], None),
    ("Генпрокуратура Кыргызстана подала иск против Centerra Gold.", "ACCUSE",
     ["KGZ.GPO"], ["CAN.CENTERRA"]),
    # a subject the parser hangs on the preceding noun is recovered
    ("После теракта МВД России выдворило из страны сотни граждан Таджикистана.", "COERCE",
     ["RUS.MVD"], ["TJK"]),
])
def test_broader_lexicon_and_misparsed_subjects(russian, text, etype, source, target):
    _, events = russian.enrich(text)
    assert [(e.type, e.source.actors, e.target.actors if e.target else None) for e in events][:1] == [
        (etype, source, target)]


@pytest.mark.parametrize(("text", "etype", "source"), [
    # a refused cooperative act is a REJECT, asserted
    ("Пашинян не примет участия в саммите ОДКБ.", "REJECT", ["am.pashinyan"]),
    # an intention to cooperate is AGREE, and flagged as not (yet) done
    ("Казахстан намерен подписать соглашение с Китаем.", "AGREE", ["KAZ"]),
    # an unnamed side qualified by a country adjective is that country
    ("Российский контингент начал выход из Таджикистана.", "RETREAT", ["RUS"]),
    # protesters need no name
    ("В Алматы прошел митинг в поддержку Украины.", "PROTEST", []),
])
def test_refusals_intentions_and_unnamed_sides(russian, text, etype, source):
    _, events = russian.enrich(text)
    assert events and (events[0].type, events[0].source.actors) == (etype, source)
    assert not events[0].negated


def test_a_past_non_act_is_negated_as_in_english(russian):
    # "не подписал" reports that something did not happen (PLOVER's negation mode); only a
    # declared refusal ("не подпишет", "не признает") is a REJECT
    _, events = russian.enrich("Армения не подписала декларацию ОДКБ.")
    assert events and events[0].type != "REJECT" and events[0].negated


def test_unknown_adjectives_of_aliases_still_inflect(russian):
    mentions = russian.annotate("Завод построят в Атырауской области.")
    assert [m.actor for m in mentions] == ["kz.atyrau-region"]


def test_region_actors_link_in_both_scripts(russian, kb):
    mentions = russian.annotate("Сбербанк и «Лукойл» отчитались, сообщил Эльвире Набиуллиной ТАСС.")
    linked = {m.actor for m in mentions}
    assert {"RUS.SBERBANK", "RUS.LUKOIL", "ru.nabiullina"} <= linked
    assert kb.resolve("Elvira Nabiullina").id == "ru.nabiullina"


def test_a_month_without_a_year_never_gets_a_guessed_year(russian):
    text = "В ноябре Токаев встретился с Путиным."
    _, undated = russian.enrich(text)
    assert undated[0].date is None and undated[0].date_raw == "ноябре"
    _, anchored = russian.enrich(text, date="2023-12-01")  # the item's own date resolves it
    assert (anchored[0].date, anchored[0].date_precision) == ("2023-11", "month")
    _, with_year = russian.enrich("В январе 2022 года ОДКБ направила миротворцев в Казахстан.")
    assert (with_year[0].date, with_year[0].date_precision) == ("2022-01", "month")


@pytest.mark.parametrize(("text", "date", "etype", "source", "target"), [
    # an office named without its country: the holder in the sentence's country on the date
    ("Президент страны поручил акиму Алматы Ерболату Досаеву решить проблему заторов.",
     "2023-04-12", "REQUEST", ["kz.tokayev"], ["kz.dossayev"]),
    # ... or the holder of that office named last in the item
    ("Токаев прибыл в Ташкент. Глава государства провел переговоры с Мирзиёевым.",
     "2024-03-15", "CONSULT", ["kz.tokayev"], ["uz.mirziyoyev"]),
    # an akim without a name is the city's administration (the knowledge base's convention)
    ("Аким Алматы провел встречу с послом Китая.", None, "CONSULT", ["kz.almaty.akimat"], ["CHN"]),
    # a target named only by a country adjective
    ("МИД Казахстана обвинил российскую сторону в нарушении договоренностей.", None,
     "ACCUSE", ["KAZ.MFA"], ["RUS"]),
    # the agent of a passive, through the decree it issued
    ("В понедельник указом Садыра Жапарова были помилованы 47 осужденных.", None,
     "CONCEDE", ["kg.japarov-sadyr"], None),
])
def test_role_nouns_offices_adjectives_and_passive_agents(russian, text, date, etype, source, target):
    _, events = russian.enrich(text, date=date)
    last = [e for e in events if e.evidence_start == max(e.evidence_start for e in events)]
    main = max(last, key=lambda e: e.confidence)  # the last sentence's main event
    assert (main.type, main.source.actors, main.target.actors if main.target else None) == (
        etype, source, target)


@pytest.mark.parametrize(("text", "etype"), [
    ("Милиция задержала участников несогласованной акции.", "COERCE"),  # no named side
    ("Вчера пограничники не пропустили в страну 200 человек.", "COERCE"),  # negated admission
    ("Россия и Украина провели обмен военнопленными.", "RETREAT"),
    ("МИД Казахстана назвал оскорбительными высказывания телеведущего.", "DISAPPROVE"),
    ("Евросоюз продлил санкции против России.", "SANCTION"),  # extending an act is that act
])
def test_acts_without_named_sides_and_idioms(russian, text, etype):
    _, events = russian.enrich(text)
    assert max(events, key=lambda e: e.confidence).type == etype


def test_a_condition_and_a_purpose_are_no_acts(russian):
    _, threat = russian.enrich("Лукашенко пригрозил перекрыть транзит газа, если ЕС введет санкции против Минска.")
    assert max(threat, key=lambda e: e.confidence).type == "THREATEN"
    _, call = russian.enrich("Лукашенко позвонил Токаеву, чтобы поздравить его с днем рождения.")
    assert [e.type for e in call] == ["CONSULT"]


def test_names_with_patronymics_and_surnames_read_as_places(russian):
    mentions = russian.annotate("Токаев встретился с Шавкатом Миромоновичем Мирзиёевым и Замиром Кабуловым.")
    assert [(m.text, m.actor) for m in mentions] == [
        ("Токаев", "kz.tokayev"), ("Шавкатом Миромоновичем Мирзиёевым", "uz.mirziyoyev"),
        ("Замиром Кабуловым", "ru.kabulov")]
    # another first name is another person, also for a weak surname
    assert [m.actor for m in russian.annotate("Ульяна Иванова встретилась с Нуртлеу.")] == [
        None, "kz.nurtleu"]


def test_country_names_of_the_wider_world(russian):
    mentions = russian.annotate("Канада, Нидерланды и ЕС поддержали Египет, сообщил МИД Вьетнама.")
    assert {"CAN", "NLD", "EU", "EGY"} <= {m.actor for m in mentions}


def test_no_event_without_an_act(russian):
    _, events = russian.enrich("Казахстан является крупнейшей экономикой Центральной Азии.")
    assert events == []


# ---------------------------------------------------------------- page dates


@pytest.mark.parametrize(("line", "expected"), [
    ("12 ноября 2023", ("2023-11-12", "day")),
    ("12.11.2023", ("2023-11-12", "day")),
    ("Опубликовано: 12.11.2023 14:05", ("2023-11-12", "day")),
])
def test_russian_page_dates(line, expected):
    from steppe.extract import extract_document

    body = ("Токаев провёл переговоры с Путиным в Москве. Стороны обсудили транзит нефти "
            "через Каспийский трубопроводный консорциум и поставки газа в регионы страны.")
    raw = RawDocument("ru.txt", f"Токаев и Путин обсудили транзит\n{line}\n\n{body}\n".encode())
    page = extract_document(raw)
    assert (page.items[0].published, page.items[0].published_precision) == expected
    assert page.language == "ru" and page.items[0].language == "ru"


def test_yesterday_resolves_against_the_page_date():
    from steppe.extract.dates import find_dates, parse_date

    anchor = parse_date("2023-11-12")
    [(_, _, dv)] = list(find_dates("вчера", anchor=anchor))
    assert (dv.value, dv.precision) == ("2023-11-11", "day")
    [(_, _, unknown)] = list(find_dates("вчера"))
    assert unknown.value is None  # nothing to resolve against


# ---------------------------------------------------------------- search


def test_query_words_match_their_forms_and_the_other_script():
    assert {"токаевым", "токаева"} <= set(query_variants("Tokayev"))
    assert "Tokayev" in query_variants("Токаеву")
    assert {"встрече", "встречи"} <= set(query_variants("встреча"))
    assert query_variants("pipeline") == ("pipeline",)
    fts = to_fts_query("Tokayev")
    assert fts.startswith('("Tokayev" OR ') and '"токаевым"' in fts
    assert to_fts_query('"Токаев встретился"') == '"Токаев встретился"'  # phrases stay exact
    assert to_fts_query("Токаев*") == '"Токаев"*'


# ---------------------------------------------------------------- end to end


RU_HTML = """<html lang="ru"><head><title>Токаев провёл переговоры с Путиным</title>
<meta property="article:published_time" content="2023-11-09"></head><body>
<article><h1>Токаев провёл переговоры с Путиным</h1>
<p>Президент Казахстана Касым-Жомарт Токаев 9 ноября 2023 года встретился с Владимиром Путиным
в Астане. Стороны обсудили сотрудничество в рамках ЕАЭС и ОДКБ.</p>
<p>МИД Казахстана сообщил, что визит российского лидера продлится два дня, а в ходе переговоров
будут подписаны соглашения о поставках газа и о транзите нефти через Каспийский трубопроводный
консорциум.</p></article></body></html>"""

EN_TEXT = """Tokayev hosts Putin in Astana

9 November 2023

Kazakh President Kassym-Jomart Tokayev met Russian President Vladimir Putin in Astana on \
Thursday. The two leaders discussed gas supplies and oil transit through the Caspian Pipeline \
Consortium, officials said.
"""


def test_ingest_a_folder_with_russian_and_english_pages(tmp_path):
    from steppe.analyse.actors import actor_summary
    from steppe.analyse.search import search_items
    from steppe.pipeline import enrich_items, ingest
    from steppe.store import SQLiteStore

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "kazinform.html").write_text(RU_HTML, encoding="utf-8")
    (folder / "astana-times.txt").write_text(EN_TEXT, encoding="utf-8")
    with SQLiteStore(tmp_path / "s.db") as store:
        summary = ingest([str(folder)], store)
        assert summary.pages_added == 2 and not summary.failures
        enrich_items(store)
        langs = {r["language"] for r in store.query("SELECT language FROM items")}
        assert langs == {"ru", "en"}
        [ru_item] = store.query("SELECT id FROM items WHERE language = 'ru'")
        mentioned = {r["actor"] for r in store.query(
            "SELECT actor FROM mentions WHERE item_id = ?", (ru_item["id"],))}
        assert {"kz.tokayev", "ru.putin", "kz.astana", "KAZ.MFA", "EAEU", "CSTO"} <= mentioned
        types = {r["type"] for r in store.query("SELECT type FROM events WHERE item_id = ?",
                                                (ru_item["id"],))}
        assert "CONSULT" in types
        # a Latin query finds the Cyrillic item, and the language filter and badge data work
        hits = search_items(store, "Tokayev")["hits"]
        assert {h["language"] for h in hits} == {"ru", "en"}
        only_ru = search_items(store, "Tokayev", language="ru")["hits"]
        assert [h["id"] for h in only_ru] == [ru_item["id"]]
        assert search_items(store, "переговоры")["total"] == 1  # "переговоров" in the text too
        # one actor page lists the items of both languages
        page = actor_summary(store, "kz.tokayev")
        assert {i["language"] for i in page["recent_items"]} == {"ru", "en"}
        assert {"Токаев", "Tokayev"} <= {f["text"].split()[-1] for f in page["names_in_corpus"]}
