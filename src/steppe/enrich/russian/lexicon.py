"""Russian event triggers by lemma, mapped to PLOVER types and modes.

Hand-written because no Russian PLOVER lexicon ships on PyPI; entries mirror the English
lexicon of :mod:`steppe.enrich.plover` (same types and modes for the same acts), keyed by
pymorphy3 lemmas so every inflection of a verb or noun counts.
"""

from __future__ import annotations

Trigger = tuple[str, str | None]  # (PLOVER type, mode)

VERBS: dict[str, Trigger] = {
    # CONSULT
    "встретиться": ("CONSULT", None), "встречаться": ("CONSULT", None),
    "обсудить": ("CONSULT", None), "обсуждать": ("CONSULT", None),
    "созвониться": ("CONSULT", "phone"),
    "посетить": ("CONSULT", "visit"), "посещать": ("CONSULT", "visit"),
    "прибыть": ("CONSULT", "visit"), "приехать": ("CONSULT", "visit"),
    "принять": ("CONSULT", "visit"), "побывать": ("CONSULT", "visit"),
    "проконсультироваться": ("CONSULT", None), "переговорить": ("CONSULT", None),
    # AGREE
    "договориться": ("AGREE", None), "согласиться": ("AGREE", None),
    "условиться": ("AGREE", None), "пообещать": ("AGREE", None), "обещать": ("AGREE", None),
    # signing is SUPPORT, as in the English lexicon ("sign an agreement"; PLOVER v0.8)
    "подписать": ("SUPPORT", None), "подписывать": ("SUPPORT", None),
    "заключить": ("SUPPORT", None), "ратифицировать": ("SUPPORT", None),
    # SUPPORT
    "поддержать": ("SUPPORT", None), "поддерживать": ("SUPPORT", None),
    "приветствовать": ("SUPPORT", None), "поздравить": ("SUPPORT", None),
    "похвалить": ("SUPPORT", None), "одобрить": ("SUPPORT", None),
    "поблагодарить": ("SUPPORT", None), "признать": ("SUPPORT", None),
    # COOPERATE
    "сотрудничать": ("COOPERATE", None), "расширить": ("COOPERATE", None),
    "укрепить": ("COOPERATE", None), "углубить": ("COOPERATE", None),
    # AID
    "помочь": ("AID", None), "предоставить": ("AID", None), "выделить": ("AID", None),
    "направить": ("AID", None), "поставить": ("AID", None), "передать": ("AID", None),
    # CONCEDE / RETREAT
    "уступить": ("CONCEDE", None), "смягчить": ("CONCEDE", None),
    "освободить": ("RETREAT", "release"), "помиловать": ("RETREAT", "release"),
    "вывести": ("RETREAT", "withdraw"), "отвести": ("RETREAT", "withdraw"),
    # INVESTIGATE
    "расследовать": ("INVESTIGATE", None), "возбудить": ("INVESTIGATE", None),
    "проверить": ("INVESTIGATE", None),
    # DEMAND / REQUEST
    "потребовать": ("DEMAND", None), "требовать": ("DEMAND", None),
    "призвать": ("REQUEST", None), "призывать": ("REQUEST", None),
    "попросить": ("REQUEST", None), "просить": ("REQUEST", None),
    "обратиться": ("REQUEST", None), "поручить": ("REQUEST", None),
    "предложить": ("REQUEST", None),
    # DISAPPROVE / ACCUSE
    "осудить": ("DISAPPROVE", None), "осуждать": ("DISAPPROVE", None),
    "раскритиковать": ("DISAPPROVE", None), "критиковать": ("DISAPPROVE", None),
    "вызвать": ("DISAPPROVE", None), "протестовать": ("DISAPPROVE", None),
    "обвинить": ("ACCUSE", None), "обвинять": ("ACCUSE", None),
    # REJECT
    "отвергнуть": ("REJECT", None), "отклонить": ("REJECT", None),
    "отказаться": ("REJECT", None), "опровергнуть": ("REJECT", None),
    "отказать": ("REJECT", None),
    # THREATEN
    "пригрозить": ("THREATEN", None), "угрожать": ("THREATEN", None),
    "предупредить": ("THREATEN", None),
    # SANCTION
    "выслать": ("SANCTION", "expel"), "отозвать": ("SANCTION", "withdraw"),
    "заморозить": ("SANCTION", "discontinue"), "приостановить": ("SANCTION", "discontinue"),
    "запретить": ("SANCTION", "discontinue"), "ограничить": ("SANCTION", "discontinue"),
    # MOBILIZE
    "мобилизовать": ("MOBILIZE", "troops"), "стянуть": ("MOBILIZE", "troops"),
    # COERCE
    "арестовать": ("COERCE", "arrest"), "задержать": ("COERCE", "arrest"),
    "депортировать": ("COERCE", "deport"), "заблокировать": ("COERCE", "restrict"),
    "выдворить": ("COERCE", "deport"), "выдворять": ("COERCE", "deport"),
    "конфисковать": ("COERCE", None),
    # ASSAULT / FIGHT
    "атаковать": ("ASSAULT", None), "обстрелять": ("FIGHT", "artillery"),
    "убить": ("ASSAULT", None), "взорвать": ("ASSAULT", "bomb"),
    "бомбить": ("FIGHT", "aerial"), "воевать": ("FIGHT", None), "сражаться": ("FIGHT", None),
}

# Nouns that carry the event when the verb is light: "провели переговоры", "ввели санкции",
# "выразил протест", "состоялась встреча", "подписали соглашение".
NOUNS: dict[str, Trigger] = {
    "переговоры": ("CONSULT", None), "встреча": ("CONSULT", None),
    "разговор": ("CONSULT", "phone"), "консультация": ("CONSULT", None),
    "визит": ("CONSULT", "visit"), "саммит": ("CONSULT", "multilateral"),
    "беседа": ("CONSULT", None),
    "соглашение": ("SUPPORT", None), "договор": ("SUPPORT", None), "меморандум": ("SUPPORT", None),
    "договоренность": ("AGREE", None),
    "поддержка": ("SUPPORT", None), "соболезнование": ("SUPPORT", None),
    "сотрудничество": ("COOPERATE", None),
    "помощь": ("AID", "humanitarian"),
    "протест": ("DISAPPROVE", None), "нота": ("DISAPPROVE", None),
    "обеспокоенность": ("DISAPPROVE", None), "озабоченность": ("DISAPPROVE", None),
    "возмущение": ("DISAPPROVE", None), "недовольство": ("DISAPPROVE", None),
    "требование": ("DEMAND", None), "призыв": ("REQUEST", None),
    "санкция": ("SANCTION", "discontinue"), "ограничение": ("SANCTION", "discontinue"),
    "эмбарго": ("SANCTION", "discontinue"),
    "учение": ("MOBILIZE", "troops"), "учения": ("MOBILIZE", "troops"),
    "митинг": ("PROTEST", "demo"), "акция": ("PROTEST", "demo"), "забастовка": ("PROTEST", "strike"),
    "удар": ("ASSAULT", None), "обстрел": ("FIGHT", "artillery"), "атака": ("ASSAULT", None),
    "расследование": ("INVESTIGATE", None), "дело": ("INVESTIGATE", None),
    "критика": ("DISAPPROVE", None), "осуждение": ("DISAPPROVE", None),
    "обвинение": ("ACCUSE", "allege"),
    "задержание": ("COERCE", "arrest"), "арест": ("COERCE", "arrest"),
    "амнистия": ("CONCEDE", None), "помилование": ("CONCEDE", None),
    "вывод": ("RETREAT", "withdraw"), "высылка": ("SANCTION", "expel"),
    "просьба": ("REQUEST", None),
    "заседание": ("CONSULT", None), "совещание": ("CONSULT", None),
    "замораживание": ("SANCTION", "discontinue"), "приостановка": ("SANCTION", "discontinue"),
    "запрет": ("SANCTION", "discontinue"),
}

# (verb, dependent noun) idioms whose act neither word names alone.
PAIRS: dict[tuple[str, str], Trigger] = {
    ("поднять", "тревога"): ("MOBILIZE", "troops"),
    ("привести", "готовность"): ("MOBILIZE", "troops"),
    ("выйти", "площадь"): ("PROTEST", "demo"), ("выйти", "улица"): ("PROTEST", "demo"),
    ("выйти", "митинг"): ("PROTEST", "demo"), ("выйти", "акция"): ("PROTEST", "demo"),
    ("направить", "войско"): ("MOBILIZE", "troops"), ("ввести", "войско"): ("MOBILIZE", "troops"),
    ("разорвать", "отношение"): ("SANCTION", "discontinue"),
    ("списать", "долг"): ("AID", None),  # debt relief
    ("передать", "послание"): ("CONSULT", None), ("вручить", "послание"): ("CONSULT", None),
    # lifting, as in the English lexicon: sanctions -> RETREAT, restrictions and bans -> CONCEDE
    ("отменить", "санкция"): ("RETREAT", None), ("снять", "санкция"): ("RETREAT", None),
    ("отменить", "ограничение"): ("CONCEDE", None), ("снять", "ограничение"): ("CONCEDE", None),
    ("отменить", "запрет"): ("CONCEDE", None), ("снять", "запрет"): ("CONCEDE", None),
}

# Documents whose subject is the act: "подписал указ о помиловании", "закон об амнистии".
DOCUMENTS = frozenset({"закон", "указ", "постановление", "распоряжение", "решение", "документ"})

# Verbs whose object noun names the event ("провести переговоры"); they are no event alone.
LIGHT_VERBS = frozenset({
    "провести", "проводить", "состояться", "проходить", "пройти", "выразить", "выражать",
    "ввести", "вводить", "оказать", "оказывать", "нанести", "наносить", "совершить",
    "заявить", "направить", "подписать", "заключить", "начать", "организовать", "устроить",
    "возбудить", "выступить", "вручить", "объявить", "высказать", "достичь",
    "сообщить", "сообщать", "подтвердить", "обратиться", "предъявить",
})

# Modal and intention verbs: the act under them has not happened ("намерен подписать").
MODALS = frozenset({"мочь", "планировать", "намереваться", "собираться", "хотеть", "готовый",
                    "намеренный", "должный", "предполагать", "рассчитывать", "надеяться"})
REPORTING = frozenset({"заявить", "сообщить", "сказать", "отметить", "подчеркнуть",
                       "рассказать", "говорить", "заявлять", "сообщать"})
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Cooperative acts announced for the future are commitments, AGREE in PLOVER v0.8 ("лидеры
# проведут встречу", like the English coder's "will meet").
FUTURE_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
# Prepositions that make a noun the reason or the occasion, not the target of the act.
CAUSE_WORDS = frozenset({"связи", "из-за", "поводу", "вследствие", "благодаря", "просьбе",
                         "приглашению", "инициативе", "итогам", "рамках"})
