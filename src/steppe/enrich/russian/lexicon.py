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
    "созвониться": ("CONSULT", "phone"), "позвонить": ("CONSULT", "phone"),
    "звонить": ("CONSULT", "phone"),
    # joining a bloc or a treaty (its refusal, "не намерен вступать", is REJECT)
    "вступить": ("COOPERATE", None), "вступать": ("COOPERATE", None),
    "присоединиться": ("COOPERATE", None), "присоединяться": ("COOPERATE", None),
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
    # an award or an honour is praise (PLOVER SUPPORT)
    "наградить": ("SUPPORT", None), "награждать": ("SUPPORT", None),
    # COOPERATE
    "сотрудничать": ("COOPERATE", None), "расширить": ("COOPERATE", None),
    "укрепить": ("COOPERATE", None), "углубить": ("COOPERATE", None),
    # AID
    "помочь": ("AID", None), "предоставить": ("AID", None), "выделить": ("AID", None),
    "направить": ("AID", None), "поставить": ("AID", None), "передать": ("AID", None),
    # CONCEDE / RETREAT
    "уступить": ("CONCEDE", None), "смягчить": ("CONCEDE", None),
    "освободить": ("RETREAT", "release"), "помиловать": ("CONCEDE", None),  # pardon, as in English
    "вывести": ("RETREAT", "withdraw"), "отвести": ("RETREAT", "withdraw"),
    # INVESTIGATE
    "расследовать": ("INVESTIGATE", None), "возбудить": ("INVESTIGATE", None),
    "проверить": ("INVESTIGATE", None),
    # DEMAND / REQUEST
    "потребовать": ("DEMAND", None), "требовать": ("DEMAND", None),
    "призвать": ("REQUEST", None), "призывать": ("REQUEST", None),
    "попросить": ("REQUEST", None), "просить": ("REQUEST", None),
    "обратиться": ("REQUEST", None), "поручить": ("REQUEST", None),
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
    # --- broader coverage, mirroring the English lexicon act by act (both aspects of each verb,
    # since pymorphy3 lemmatises to the infinitive of the aspect written) ---
    # CONSULT
    "встречать": ("CONSULT", None), "беседовать": ("CONSULT", None),
    "побеседовать": ("CONSULT", None), "совещаться": ("CONSULT", None),
    "посовещаться": ("CONSULT", None), "созваниваться": ("CONSULT", "phone"),
    "переговариваться": ("CONSULT", None), "консультироваться": ("CONSULT", None),
    "посредничать": ("CONSULT", "multilateral"), "навестить": ("CONSULT", "visit"),
    "прилететь": ("CONSULT", "visit"), "прибывать": ("CONSULT", "visit"),
    "приезжать": ("CONSULT", "visit"), "принимать": ("CONSULT", "visit"),
    # AGREE (an offer or proposal is AGREE in PLOVER, as the English "offer")
    "согласовать": ("AGREE", None), "договариваться": ("AGREE", None),
    "соглашаться": ("AGREE", None), "обязаться": ("AGREE", None),
    "обязываться": ("AGREE", None), "поклясться": ("AGREE", None),
    "пригласить": ("AGREE", None), "приглашать": ("AGREE", None),
    "предложить": ("AGREE", None), "предлагать": ("AGREE", None),
    "гарантировать": ("AGREE", None),
    # SUPPORT
    "одобрять": ("SUPPORT", None), "поздравлять": ("SUPPORT", None),
    "хвалить": ("SUPPORT", None), "благодарить": ("SUPPORT", None),
    "признавать": ("SUPPORT", None), "извиниться": ("SUPPORT", None),
    "извиняться": ("SUPPORT", None), "простить": ("SUPPORT", None),
    "восстановить": ("SUPPORT", None), "нормализовать": ("SUPPORT", None),
    "возобновить": ("SUPPORT", None), "продлить": ("SUPPORT", None),
    "заступиться": ("SUPPORT", None), "солидаризироваться": ("SUPPORT", None),
    # CONCEDE
    "уступать": ("CONCEDE", None), "смягчать": ("CONCEDE", None),
    "ослабить": ("CONCEDE", None), "ослаблять": ("CONCEDE", None),
    "амнистировать": ("CONCEDE", None), "оправдать": ("CONCEDE", None),
    "сожалеть": ("CONCEDE", None), "пожалеть": ("CONCEDE", None),
    # COOPERATE (trade and joint work; commercial supply is economic cooperation, not aid)
    "взаимодействовать": ("COOPERATE", None), "координировать": ("COOPERATE", None),
    "скоординировать": ("COOPERATE", None), "экстрадировать": ("COOPERATE", None),
    "торговать": ("COOPERATE", "economic"), "инвестировать": ("COOPERATE", "economic"),
    "экспортировать": ("COOPERATE", "economic"), "импортировать": ("COOPERATE", "economic"),
    "расширять": ("COOPERATE", None), "углублять": ("COOPERATE", None),
    "укреплять": ("COOPERATE", None),
    # AID
    "помогать": ("AID", None), "предоставлять": ("AID", None), "выделять": ("AID", None),
    "пожертвовать": ("AID", None), "финансировать": ("AID", None),
    "профинансировать": ("AID", None), "кредитовать": ("AID", None),
    "спасти": ("AID", None), "спасать": ("AID", None), "доставить": ("AID", None),
    "передавать": ("AID", None), "поставлять": ("AID", None),
    # RETREAT
    "отступить": ("RETREAT", "withdraw"), "отступать": ("RETREAT", "withdraw"),
    "выводить": ("RETREAT", "withdraw"), "отводить": ("RETREAT", "withdraw"),
    "освобождать": ("RETREAT", "release"), "отпустить": ("RETREAT", "release"),
    "разоружить": ("RETREAT", "disarm"), "разоружиться": ("RETREAT", "disarm"),
    "демобилизовать": ("RETREAT", "disarm"), "сдаться": ("RETREAT", "disarm"),
    "эвакуировать": ("RETREAT", "withdraw"), "вернуть": ("RETREAT", "release"),
    "компенсировать": ("RETREAT", None),
    # INVESTIGATE
    "проверять": ("INVESTIGATE", None), "инспектировать": ("INVESTIGATE", None),
    "расследоваться": ("INVESTIGATE", None),
    # DEMAND / REQUEST
    "настоять": ("DEMAND", None), "настаивать": ("DEMAND", None),
    "приказать": ("DEMAND", None), "обязать": ("DEMAND", None), "велеть": ("DEMAND", None),
    "ходатайствовать": ("REQUEST", None), "умолять": ("REQUEST", None),
    "запросить": ("REQUEST", None), "запрашивать": ("REQUEST", None),
    "добиваться": ("REQUEST", None), "обращаться": ("REQUEST", None),
    # DISAPPROVE / ACCUSE
    "порицать": ("DISAPPROVE", None), "пожаловаться": ("DISAPPROVE", None),
    "жаловаться": ("DISAPPROVE", None), "возразить": ("DISAPPROVE", None),
    "возражать": ("DISAPPROVE", None), "упрекнуть": ("DISAPPROVE", None),
    "упрекать": ("DISAPPROVE", None),
    "заподозрить": ("ACCUSE", "allege"), "подозревать": ("ACCUSE", "allege"),
    "судиться": ("ACCUSE", "allege"),
    # REJECT
    "отвергать": ("REJECT", None), "отклонять": ("REJECT", None),
    "отказываться": ("REJECT", None), "опровергать": ("REJECT", None),
    "отрицать": ("REJECT", None), "игнорировать": ("REJECT", None),
    "проигнорировать": ("REJECT", None), "бойкотировать": ("PROTEST", "boycott"),
    # THREATEN
    "грозить": ("THREATEN", None),
    "предупреждать": ("THREATEN", None),
    # PROTEST
    "митинговать": ("PROTEST", "demo"), "бастовать": ("PROTEST", "strike"),
    "пикетировать": ("PROTEST", "demo"), "забастовать": ("PROTEST", "strike"),
    # SANCTION
    "высылать": ("SANCTION", "expel"), "отзывать": ("SANCTION", "withdraw"),
    "отменить": ("SANCTION", "discontinue"), "отменять": ("SANCTION", "discontinue"),
    "отложить": ("SANCTION", "discontinue"), "сократить": ("SANCTION", "discontinue"),
    "сокращать": ("SANCTION", "discontinue"), "приостанавливать": ("SANCTION", "discontinue"),
    "прекратить": ("SANCTION", "discontinue"), "прекращать": ("SANCTION", "discontinue"),
    "понизить": ("SANCTION", "discontinue"), "запрещать": ("SANCTION", "discontinue"),
    "ограничивать": ("SANCTION", "discontinue"),
    # MOBILIZE
    "развернуть": ("MOBILIZE", "troops"), "разместить": ("MOBILIZE", "troops"),
    "перебросить": ("MOBILIZE", "troops"), "стягивать": ("MOBILIZE", "troops"),
    "патрулировать": ("MOBILIZE", "police"),
    # COERCE
    "задерживать": ("COERCE", "arrest"), "арестовывать": ("COERCE", "arrest"),
    "приговорить": ("COERCE", "arrest"), "посадить": ("COERCE", "arrest"),
    "блокировать": ("COERCE", "restrict"),
    "цензурировать": ("COERCE", "censor"), "изъять": ("COERCE", "seize"),
    "обыскать": ("COERCE", "seize"), "захватить": ("COERCE", "seize"), "разогнать": ("COERCE", None),
    "подавить": ("COERCE", None), "оккупировать": ("COERCE", "seize"),
    "аннексировать": ("COERCE", "seize"), "национализировать": ("COERCE", "seize"),
    # ASSAULT
    "убивать": ("ASSAULT", None), "похитить": ("ASSAULT", "abduct"),
    "пытать": ("ASSAULT", "torture"), "избить": ("ASSAULT", "beat"),
    "ранить": ("ASSAULT", None), "расстрелять": ("ASSAULT", "targeted"),
    "уничтожить": ("ASSAULT", "destroy"), "поджечь": ("ASSAULT", "destroy"),
    "напасть": ("ASSAULT", None), "нападать": ("ASSAULT", None),
    # FIGHT
    "обстреливать": ("FIGHT", "artillery"), "вторгнуться": ("FIGHT", None),
    "наступать": ("FIGHT", None), "бомбардировать": ("FIGHT", "aerial"),
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
    "пуск": ("MOBILIZE", "weapons"),
    "патруль": ("MOBILIZE", "police"), "патрулирование": ("MOBILIZE", "police"),
    "транспортировка": ("COOPERATE", "economic"), "транзит": ("COOPERATE", "economic"),  # a missile launch: a show of force (PLOVER v0.8 weapons)
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
    "телефонный": ("CONSULT", "phone"), "созвон": ("CONSULT", "phone"),
    "посредничество": ("CONSULT", "multilateral"), "форум": ("CONSULT", "multilateral"),
    "конференция": ("CONSULT", "multilateral"),
    "предложение": ("AGREE", None), "обещание": ("AGREE", None), "обязательство": ("AGREE", None),
    "приглашение": ("AGREE", None),
    "контракт": ("SUPPORT", None), "декларация": ("SUPPORT", None), "протокол": ("SUPPORT", None),
    "признание": ("SUPPORT", None), "извинение": ("SUPPORT", None), "поздравление": ("SUPPORT", None),
    "уступка": ("CONCEDE", None), "поставка": ("COOPERATE", "economic"),
    "выход": ("RETREAT", "withdraw"), "отвод": ("RETREAT", "withdraw"),
    "инвестиция": ("COOPERATE", "economic"), "экспорт": ("COOPERATE", "economic"),
    "кредит": ("AID", None), "грант": ("AID", None), "заем": ("AID", None), "заём": ("AID", None),
    "убежище": ("AID", "asylum"), "финансирование": ("AID", None),
    "отставка": ("RETREAT", "resign"), "перемирие": ("RETREAT", "ceasefire"),
    "освобождение": ("RETREAT", "release"), "компенсация": ("RETREAT", None),
    "проверка": ("INVESTIGATE", None), "аудит": ("INVESTIGATE", None),
    "ультиматум": ("THREATEN", None), "угроза": ("THREATEN", None),
    "предупреждение": ("THREATEN", None),
    "жалоба": ("DISAPPROVE", None), "иск": ("ACCUSE", "allege"),
    "вето": ("REJECT", None), "отказ": ("REJECT", None), "бойкот": ("PROTEST", "boycott"),
    "демонстрация": ("PROTEST", "demo"), "шествие": ("PROTEST", "demo"),
    "пикет": ("PROTEST", "demo"), "марш": ("PROTEST", "demo"),
    "беспорядок": ("PROTEST", "riot"), "голодовка": ("PROTEST", "hunger"),
    "мобилизация": ("MOBILIZE", "troops"), "развертывание": ("MOBILIZE", "troops"),
    "развёртывание": ("MOBILIZE", "troops"), "переброска": ("MOBILIZE", "troops"),
    "обыск": ("COERCE", "seize"), "депортация": ("COERCE", "deport"),
    "приговор": ("COERCE", "arrest"), "блокировка": ("COERCE", "restrict"),
    "цензура": ("COERCE", "censor"),
    "теракт": ("ASSAULT", "explosives"), "взрыв": ("ASSAULT", "explosives"),
    "нападение": ("ASSAULT", None), "убийство": ("ASSAULT", "targeted"),
    "покушение": ("ASSAULT", "targeted"), "похищение": ("ASSAULT", "abduct"),
    "вторжение": ("FIGHT", None), "наступление": ("FIGHT", None), "война": ("FIGHT", None),
    "столкновение": ("FIGHT", None), "бой": ("FIGHT", None), "перестрелка": ("FIGHT", "firearms"),
    "агрессия": ("FIGHT", None), "авиаудар": ("FIGHT", "aerial"), "бомбардировка": ("FIGHT", "aerial"),
}

# (verb, dependent noun) idioms whose act neither word names alone.
PAIRS: dict[tuple[str, str], Trigger] = {
    ("поднять", "тревога"): ("MOBILIZE", "troops"),
    ("привести", "готовность"): ("MOBILIZE", "troops"),
    # a declared readiness or intention to act is a commitment, AGREE ("выразили готовность
    # расширять сотрудничество", "заявил о намерении подписать")
    ("выразить", "готовность"): ("AGREE", None), ("выражать", "готовность"): ("AGREE", None),
    ("заявить", "готовность"): ("AGREE", None), ("подтвердить", "готовность"): ("AGREE", None),
    ("выразить", "намерение"): ("AGREE", None), ("заявить", "намерение"): ("AGREE", None),
    ("подтвердить", "намерение"): ("AGREE", None),
    ("выйти", "площадь"): ("PROTEST", "demo"), ("выйти", "улица"): ("PROTEST", "demo"),
    ("выйти", "митинг"): ("PROTEST", "demo"), ("выйти", "акция"): ("PROTEST", "demo"),
    ("направить", "войско"): ("MOBILIZE", "troops"), ("ввести", "войско"): ("MOBILIZE", "troops"),
    ("разорвать", "отношение"): ("SANCTION", "discontinue"),
    ("списать", "долг"): ("AID", None),  # debt relief
    ("передать", "послание"): ("CONSULT", None), ("вручить", "послание"): ("CONSULT", None),
    # lifting: sanctions and restrictions -> RETREAT (the reversal of an act this lexicon codes
    # SANCTION: "ограничить", "ограничение"; PLOVER v0.8 RETREAT eases a conflictual act), a
    # ban -> CONCEDE as in the English lexicon
    ("отменить", "санкция"): ("RETREAT", None), ("снять", "санкция"): ("RETREAT", None),
    ("отменить", "ограничение"): ("RETREAT", None), ("снять", "ограничение"): ("RETREAT", None),
    ("отменить", "запрет"): ("CONCEDE", None), ("снять", "запрет"): ("CONCEDE", None),
    ("обменяться", "мнение"): ("CONSULT", None), ("принять", "участие"): ("CONSULT", None),
    ("пойти", "уступка"): ("CONCEDE", None), ("объединить", "усилие"): ("COOPERATE", None),
    ("уйти", "отставка"): ("RETREAT", "resign"), ("подать", "отставка"): ("RETREAT", "resign"),
    ("прекратить", "огонь"): ("RETREAT", "ceasefire"), ("открыть", "граница"): ("RETREAT", "access"),
    ("закрыть", "граница"): ("COERCE", "restrict"), ("открыть", "огонь"): ("FIGHT", "firearms"),
    ("возложить", "ответственность"): ("ACCUSE", "allege"), ("подать", "суд"): ("ACCUSE", "allege"),
    ("подать", "иск"): ("ACCUSE", "allege"), ("наложить", "вето"): ("REJECT", None),
    ("заключить", "стража"): ("COERCE", "arrest"), ("взять", "стража"): ("COERCE", "arrest"),
    ("ввести", "положение"): ("COERCE", "martial-law"), ("объявить", "положение"): ("COERCE", "martial-law"),
    ("ввести", "час"): ("COERCE", "curfew"), ("объявить", "розыск"): ("COERCE", "arrest"),
    ("захватить", "заложник"): ("ASSAULT", "abduct"), ("взять", "заложник"): ("ASSAULT", "abduct"),
    ("подвергнуть", "критика"): ("DISAPPROVE", None), ("подвергать", "критика"): ("DISAPPROVE", None),
    ("подвергнуть", "обстрел"): ("FIGHT", "artillery"), ("подвергнуться", "обстрел"): ("FIGHT", "artillery"),
    ("усилить", "база"): ("MOBILIZE", "weapons"), ("усилить", "группировка"): ("MOBILIZE", "troops"),
    ("усилить", "контингент"): ("MOBILIZE", "troops"), ("усилить", "охрана"): ("MOBILIZE", "police"),
    ("вызвать", "посол"): ("DISAPPROVE", None), ("отозвать", "посол"): ("SANCTION", "withdraw"),
    ("выслать", "дипломат"): ("SANCTION", "expel"), ("отменить", "визит"): ("SANCTION", "withdraw"),
    ("восстановить", "отношение"): ("SUPPORT", None), ("установить", "отношение"): ("SUPPORT", None),
    ("предоставить", "убежище"): ("AID", "asylum"), ("начать", "поставка"): ("COOPERATE", "economic"),
    # handing over prisoners is their release (PLOVER v0.8 RETREAT release), not aid
    ("передать", "военнопленный"): ("RETREAT", "release"), ("передать", "пленный"): ("RETREAT", "release"),
    ("передать", "заключенный"): ("RETREAT", "release"), ("передать", "заключённый"): ("RETREAT", "release"),
    # workers stopping work is a strike (PLOVER PROTEST strike), as "забастовка"
    ("прекратить", "работа"): ("PROTEST", "strike"), ("остановить", "работа"): ("PROTEST", "strike"),
    # a promised or threatened response or retaliation is a threat ("пообещал военный ответ")
    ("пообещать", "ответ"): ("THREATEN", None), ("обещать", "ответ"): ("THREATEN", None),
    ("пообещать", "мера"): ("THREATEN", None), ("пригрозить", "ответ"): ("THREATEN", None),
    ("пообещать", "возмездие"): ("THREATEN", None), ("пообещать", "удар"): ("THREATEN", None),
    # becoming a member is joining (COOPERATE, as "вступить"; its refusal is REJECT)
    ("стать", "член"): ("COOPERATE", None), ("становиться", "член"): ("COOPERATE", None),
    ("стать", "участник"): ("COOPERATE", None), ("становиться", "участник"): ("COOPERATE", None),
    # a court granting a claim rules against the defendant ("суд удовлетворил иск прокуратуры о
    # ликвидации фонда"): a court-ordered measure, COERCE as the labels' court-ordered bans
    ("удовлетворить", "иск"): ("COERCE", None), ("удовлетворить", "ходатайство"): ("COERCE", None),
    # listing a company or a person for sanctions ("внес в санкционный список"; the list is a
    # framing noun, FRAMES, so its adjective pairs with the verb)
    ("внести", "санкционный"): ("SANCTION", "discontinue"),
    ("включить", "санкционный"): ("SANCTION", "discontinue"),
}
# Courtesies that accompany a substantive act in the same sentence ("поздравил ... и обсудил
# с ним ход проектов"): the other act is the sentence's main event.
COURTESIES = frozenset({"поздравить", "поздравлять", "поблагодарить", "благодарить"})

# Nouns that are an act only with a given dependent: "обмен военнопленными" is a mutual
# release (PLOVER v0.8 RETREAT release), "обмен мнениями" a consultation.
NOUN_PAIRS: dict[tuple[str, str], Trigger] = {
    ("обмен", "военнопленный"): ("RETREAT", "release"), ("обмен", "пленный"): ("RETREAT", "release"),
    ("обмен", "заключенный"): ("RETREAT", "release"), ("обмен", "заключённый"): ("RETREAT", "release"),
    ("обмен", "мнение"): ("CONSULT", None),
    # a check of troops' combat readiness is a snap military exercise (MOBILIZE), not an inquiry
    ("проверка", "боеготовность"): ("MOBILIZE", "troops"), ("проверка", "готовность"): ("MOBILIZE", "troops"),
    ("проверка", "боеспособность"): ("MOBILIZE", "troops"),
}

# Nouns that only frame an act named by their genitive: "режим чрезвычайного положения",
# "пакет санкций", "введение санкций", "волна протестов", "серия ударов". Pairs and trigger
# nouns are looked up through them.
FRAMES = frozenset({"режим", "пакет", "введение", "объявление", "ряд", "серия", "волна",
                    "комплекс", "применение", "отмена", "снятие", "список"})

# Verbs that are an act when negated: "не пропустили в Россию" is a denial of entry (COERCE
# restrict, as deportations), "не допустили к выборам" an exclusion.
NEGATED_ACTS: dict[str, Trigger] = {
    "пропустить": ("COERCE", "restrict"), "пропускать": ("COERCE", "restrict"),
    "пустить": ("COERCE", "restrict"), "пускать": ("COERCE", "restrict"),
    "впустить": ("COERCE", "restrict"), "допустить": ("COERCE", "restrict"),
}

# Calling something offensive or unacceptable is criticism (DISAPPROVE; v0.8 ACCUSE
# disapprove): "МИД назвал оскорбительными высказывания", "считает неприемлемым".
_JUDGING = ("назвать", "называть", "счесть", "считать", "расценить", "расценивать",
            "квалифицировать", "охарактеризовать")
_CENSURE = ("оскорбительный", "неприемлемый", "недопустимый", "провокационный", "безосновательный",
            "голословный", "абсурдный", "враждебный", "недружественный", "незаконный",
            "нелегитимный", "клеветнический", "ложный", "лживый", "возмутительный")
PAIRS.update({(verb, adj): ("DISAPPROVE", None) for verb in _JUDGING for adj in _CENSURE})
# Claiming an attack makes the claimant its author: the act coded is the attack
# ("ответственность за нападение взяла на себя группировка").
PAIRS[("взять", "ответственность")] = ("ASSAULT", None)

# Documents whose subject is the act: "подписал указ о помиловании", "закон об амнистии".
DOCUMENTS = frozenset({"закон", "указ", "постановление", "распоряжение", "решение", "документ"})

# Verbs whose object noun names the event ("провести переговоры"); they are no event alone.
LIGHT_VERBS = frozenset({
    "провести", "проводить", "состояться", "проходить", "пройти", "выразить", "выражать",
    "ввести", "вводить", "оказать", "оказывать", "нанести", "наносить", "совершить",
    "заявить", "направить", "подписать", "заключить", "начать", "организовать", "устроить",
    "возбудить", "выступить", "вручить", "объявить", "высказать", "достичь",
    "сообщить", "сообщать", "подтвердить", "обратиться", "предъявить",
    "находиться", "продолжить", "продолжать", "возобновить", "вести", "давать", "дать",
    # extending an act is that act ("продлил санкции" SANCTION); alone it is SUPPORT
    "продлить", "продлевать",
    # so is its growth ("увеличил поставки газа", "расширил санкции", "ужесточил
    # ограничения"); a cut keeps its own type ("сократить"); alone "расширить" stays COOPERATE
    "увеличить", "увеличивать", "нарастить", "наращивать", "расширить", "расширять",
    "ужесточить", "ужесточать",
    # verbs of happening whose subject noun is the act ("вспыхнули столкновения")
    "вспыхнуть", "произойти", "происходить", "начаться", "случиться", "разгореться",
    "возобновиться", "продолжиться", "продолжаться",
    # adopting a package of measures is the measures' act ("утвердил пакет санкций")
    "утвердить", "утверждать",
})
# Acts that are announced for the future are concessions: a withdrawal that "will" happen
# ("миротворцы будут выведены") is a promise to withdraw, PLOVER v0.8 CONCEDE (the labels'
# "announced future withdrawals"), as future cooperative acts are AGREE.
FUTURE_CONCEDE = frozenset({"RETREAT"})

# Military units as the subject of a visit verb: troops arriving are a deployment (MOBILIZE),
# troops sent at a host's request aid (PLOVER v0.8 AID; the CSTO in January 2022).
TROOPS = frozenset({"подразделение", "войско", "сила", "контингент", "миротворец", "военнослужащий",
                    "военный", "батальон", "полк", "бригада", "отряд", "десантник", "спецназ"})
REQUESTED = frozenset({"просьбе", "приглашению", "запросу", "обращению"})

# Readiness for an act is a commitment to it, AGREE ("Россия готова к переговорам"), as
# PAIRS' "выразить готовность".
READINESS = frozenset({"готовый"})

# Modal and intention verbs: the act under them has not happened ("намерен подписать").
# ("намерить" is pymorphy3's reading of the short forms "намерена", "намерены")
MODALS = frozenset({"мочь", "планировать", "намереваться", "собираться", "хотеть", "готовый",
                    "намеренный", "намерить", "должный", "предполагать", "рассчитывать",
                    "надеяться"})
REPORTING = frozenset({"заявить", "сообщить", "сказать", "отметить", "подчеркнуть",
                       "рассказать", "говорить", "заявлять", "сообщать"})
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Reported speech that blames another side is an accusation by the speaker (PLOVER ACCUSE,
# "allege"): "Захарова заявила, что Евросоюз шантажирует страны региона", "заявил, что в
# обострении виноват Киев", "заявил, что Баку не выполняет обязательства". The clause's verb
# is one whose assertion blames (ALLEGATIONS), a blame predicate (BLAME), an act of force
# (ALLEGED_ACTS, present or past: "заявил, что Киев обстреливает ..."), or a negated
# obligation (OBLIGATIONS).
ALLEGATIONS = frozenset({
    "шантажировать", "вмешиваться", "вмешаться", "нарушать", "нарушить", "провоцировать",
    "спровоцировать", "дестабилизировать", "саботировать", "срывать", "сорвать", "препятствовать",
    "воспрепятствовать", "лгать", "солгать", "манипулировать", "нагнетать", "разжигать",
    "разжечь", "подстрекать", "финансировать", "спонсировать", "покрывать", "укрывать",
    "фальсифицировать", "сфальсифицировать", "затягивать", "искажать", "исказить",
    "переписывать", "давить", "оказывать", "использовать", "пытаться", "стоять", "вооружать",
    "эскалировать", "шпионить", "дискриминировать", "притеснять", "преследовать",
})
BLAME = frozenset({"виноватый", "виновный", "ответственный", "причастный", "повинный"})
ALLEGED_ACTS = frozenset({"ASSAULT", "FIGHT", "COERCE", "THREATEN"})
# The speaker's own side's future force or retaliation against another side is a threat
# (PLOVER THREATEN): "Хренин заявил, что Минск ответит на любую провокацию со стороны Польши".
RETALIATION = frozenset({"ответить", "отвечать", "нанести", "применить", "уничтожить", "ударить",
                         "атаковать", "разгромить", "пресечь", "отреагировать"})
THREAT_ACTS = frozenset({"ASSAULT", "FIGHT", "COERCE", "SANCTION"})
OBLIGATIONS = frozenset({"выполнять", "выполнить", "соблюдать", "соблюсти", "исполнять",
                         "исполнить", "признавать", "признать"})
# Cooperative acts announced for the future are commitments, AGREE in PLOVER v0.8 ("лидеры
# проведут встречу", like the English coder's "will meet").
FUTURE_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
# The same holds for an intention ("намерена подписать", "планирует посетить"): CAMEO 03,
# "express intent to cooperate", is AGREE in PLOVER.
# Prepositions that make a noun the reason or the occasion, not the target of the act.
CAUSE_WORDS = frozenset({"связи", "из-за", "поводу", "вследствие", "благодаря", "просьбе",
                         "приглашению", "инициативе", "итогам", "рамках"})
# "при посредничестве Макрона", "при участии ООН": a third party, not the target
THIRD_PARTY_WORDS = frozenset({"посредничестве", "участии", "содействии", "поддержке"})
# Objects that make "принять" an adoption, not a reception ("Сенат принял закон")
ADOPTED = frozenset({"закон", "указ", "постановление", "распоряжение", "решение", "документ",
                     "резолюция", "поправка", "законопроект", "бюджет", "мера", "программа",
                     "концепция", "стратегия", "присяга", "план", "заявление", "декларация"})

# Country adjectives (lemmas) that make an unnamed subject a country's side: "российский
# контингент начал выход", "китайская сторона предложила". Only the event coder reads them;
# they are not mentions of the item (the labels and the English annotator keep demonyms apart).
DEMONYMS: dict[str, str] = {
    "российский": "RUS", "казахстанский": "KAZ", "казахский": "KAZ", "кыргызский": "KGZ",
    "киргизский": "KGZ", "кыргызстанский": "KGZ", "узбекский": "UZB", "узбекистанский": "UZB",
    "таджикский": "TJK", "таджикистанский": "TJK", "туркменский": "TKM", "китайский": "CHN",
    "американский": "USA", "белорусский": "BLR", "украинский": "UKR", "армянский": "ARM",
    "азербайджанский": "AZE", "грузинский": "GEO", "турецкий": "TUR", "иранский": "IRN",
    "афганский": "AFG", "монгольский": "MNG", "индийский": "IND", "пакистанский": "PAK",
    "японский": "JPN", "британский": "GBR", "французский": "FRA", "немецкий": "DEU",
    "германский": "DEU", "польский": "POL", "израильский": "ISR",
}
