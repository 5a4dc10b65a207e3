"""PLOVER ontology and the English trigger lexicon used by :mod:`steppe.enrich.events`.

Event types
    The 18 PLOVER types of the gold-standard records (AGREE ... FIGHT) plus two
    PLOVER-compatible subtypes taken from PLOVER manual v0.8 (2021), which renamed
    and widened two categories:

    * ``ACCUSE`` (v0.8 "ACCUSE allege": accuse, allege, charge, blame, indict) is a
      subtype of ``DISAPPROVE``; criticism and condemnation stay ``DISAPPROVE``.
    * ``REQUEST`` (v0.8 "REQUEST": requests, calls, appeals, urging) is a subtype of
      ``DEMAND``; only explicit demands and insistence stay ``DEMAND``.

    :data:`FAMILY` maps every type to its 18-type parent, so counts and benchmarks can
    compare like with like.

Quad classes (:data:`QUADS`)
    From the PLOVER README table, except ``SANCTION`` (material conflict) and
    ``INVESTIGATE`` (verbal conflict), where the v0.8 manual overrides the README
    (sanctions are material acts; v0.8 files investigations under ACCUSE).

Intensity (:data:`INTENSITY`, :data:`MODE_INTENSITY`)
    A Goldstein-like cooperation/conflict score from -10 (most conflictual: mass or
    unconventional violence) to +10 (most cooperative: material aid, disarmament),
    0 being neutral. Values are the PLOVER scores of manual v0.8 table 2.2 for the
    type and, when Steppe knows it, the mode. Types absent from that table take the
    score of their v0.8 successor: DEMAND = REQUEST 'change' (-1; DEMAND is a shade
    more forceful than a plain REQUEST at 0), DISAPPROVE = ACCUSE 'disapprove' (-2),
    INVESTIGATE = ACCUSE 'investigate' (-3.5), FIGHT = ASSAULT 'heavy-weapons' (-9.5).
    ACCUSE is printed as "3" in the manual, an evident sign slip: Steppe uses -3.
"""

from __future__ import annotations

TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE",
    "COERCE", "ASSAULT", "FIGHT", "ACCUSE", "REQUEST",
)

FAMILY: dict[str, str] = {t: t for t in TYPES} | {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}

VC, MC, VX, MX = ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                  "material_conflict")
QUADS: dict[str, str] = {
    "AGREE": VC, "CONSULT": VC, "SUPPORT": VC, "CONCEDE": VC,
    "COOPERATE": MC, "AID": MC, "RETREAT": MC,
    "INVESTIGATE": VX, "DEMAND": VX, "REQUEST": VX, "DISAPPROVE": VX, "ACCUSE": VX,
    "REJECT": VX, "THREATEN": VX,
    "SANCTION": MX, "PROTEST": MX, "MOBILIZE": MX, "COERCE": MX, "ASSAULT": MX, "FIGHT": MX,
}

INTENSITY: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5,
    "AID": 10.0, "RETREAT": 6.5, "INVESTIGATE": -3.5, "REQUEST": 0.0, "DEMAND": -1.0,
    "ACCUSE": -3.0, "DISAPPROVE": -2.0, "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0,
    "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0, "FIGHT": -9.5,
}

MODE_INTENSITY: dict[tuple[str, str], float] = {
    ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0,
    ("CONSULT", "multilateral"): 4.0, ("CONSULT", "phone"): 1.5,
    ("RETREAT", "withdraw"): 8.0, ("RETREAT", "release"): 6.5, ("RETREAT", "disarm"): 10.0,
    ("RETREAT", "ceasefire"): 7.5, ("RETREAT", "access"): 6.5, ("RETREAT", "resign"): 4.5,
    ("REQUEST", "assist"): 0.5, ("REQUEST", "change"): -1.0, ("REQUEST", "yield"): -1.0,
    ("REQUEST", "meet"): 0.0, ("ACCUSE", "allege"): -3.5, ("ACCUSE", "investigate"): -3.5,
    ("REJECT", "assist"): -1.5, ("REJECT", "meet"): -2.0,
    ("THREATEN", "restrict"): -3.0, ("THREATEN", "territory"): -4.0,
    ("PROTEST", "riot"): -7.0, ("PROTEST", "hunger"): -4.5, ("PROTEST", "boycott"): -4.5,
    ("PROTEST", "obstruct"): -4.5, ("SANCTION", "expel"): -5.5,
    ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5, ("MOBILIZE", "militia"): -6.0,
    ("COERCE", "censor"): -6.5, ("COERCE", "curfew"): -6.5, ("COERCE", "martial-law"): -7.5,
    ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5, ("ASSAULT", "torture"): -8.5,
    ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5, ("ASSAULT", "destroy"): -8.5,
    ("ASSAULT", "primitive"): -8.0, ("ASSAULT", "explosives"): -9.0,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "aerial"): -9.5,
    ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "unconventional"): -10.0,
    ("FIGHT", "unconventional"): -10.0, ("FIGHT", "firearms"): -9.0,
}

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
MATERIAL_CONFLICT = frozenset({"SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT"})


def intensity(event_type: str, mode: str | None = None) -> float:
    """PLOVER score of a type (and mode when the table has one), -10 .. +10."""
    return MODE_INTENSITY.get((event_type, mode or ""), INTENSITY[event_type])


# --- lexicon -------------------------------------------------------------------------
# Entries are (type, mode). Keys are spaCy lemmas, lower case.

# Verbs that are events on their own.
VERBS: dict[str, tuple[str, str | None]] = {
    # CONSULT
    "meet": ("CONSULT", None), "visit": ("CONSULT", "visit"), "host": ("CONSULT", "visit"),
    "negotiate": ("CONSULT", None), "confer": ("CONSULT", None), "discuss": ("CONSULT", None),
    "mediate": ("CONSULT", "multilateral"), "consult": ("CONSULT", None),
    "telephone": ("CONSULT", "phone"), "phone": ("CONSULT", "phone"),
    "attend": ("CONSULT", None), "receive": ("CONSULT", "visit"),
    # AGREE
    "agree": ("AGREE", None), "promise": ("AGREE", None), "pledge": ("AGREE", None),
    "offer": ("AGREE", None), "accept": ("AGREE", None), "invite": ("AGREE", None),
    "commit": ("AGREE", None), "vow": ("AGREE", None),
    # SUPPORT
    "praise": ("SUPPORT", None), "commend": ("SUPPORT", None), "welcome": ("SUPPORT", None),
    "endorse": ("SUPPORT", None), "support": ("SUPPORT", None), "back": ("SUPPORT", None),
    "defend": ("SUPPORT", None), "recognize": ("SUPPORT", None), "recognise": ("SUPPORT", None),
    "congratulate": ("SUPPORT", None), "thank": ("SUPPORT", None), "hail": ("SUPPORT", None),
    "ratify": ("SUPPORT", None), "apologize": ("SUPPORT", None), "apologise": ("SUPPORT", None),
    "forgive": ("SUPPORT", None), "applaud": ("SUPPORT", None), "laud": ("SUPPORT", None),
    "bolster": ("SUPPORT", None), "strengthen": ("SUPPORT", None), "deepen": ("SUPPORT", None),
    "upgrade": ("SUPPORT", None), "restore": ("SUPPORT", None), "boost": ("SUPPORT", None),
    "improve": ("SUPPORT", None), "normalize": ("SUPPORT", None), "normalise": ("SUPPORT", None),
    "expand": ("SUPPORT", None), "resume": ("SUPPORT", None), "renew": ("SUPPORT", None),
    # CONCEDE
    "concede": ("CONCEDE", None), "yield": ("CONCEDE", None), "pardon": ("CONCEDE", None),
    "ease": ("CONCEDE", None), "relax": ("CONCEDE", None), "shorten": ("CONCEDE", None),
    "regret": ("CONCEDE", None), "amnesty": ("CONCEDE", None), "acquit": ("CONCEDE", None),
    # COOPERATE
    "cooperate": ("COOPERATE", None), "collaborate": ("COOPERATE", None),
    "extradite": ("COOPERATE", None), "trade": ("COOPERATE", None),
    # AID
    "aid": ("AID", None), "assist": ("AID", None), "donate": ("AID", None),
    "grant": ("AID", None), "supply": ("AID", None), "provide": ("AID", None),
    "give": ("AID", None), "contribute": ("AID", None), "fund": ("AID", None),
    "finance": ("AID", None), "lend": ("AID", None), "rescue": ("AID", None),
    "deliver": ("AID", None), "help": ("AID", None),
    # RETREAT
    "withdraw": ("RETREAT", "withdraw"), "retreat": ("RETREAT", "withdraw"),
    "release": ("RETREAT", "release"), "free": ("RETREAT", "release"),
    "disarm": ("RETREAT", "disarm"), "demobilize": ("RETREAT", "disarm"),
    "demobilise": ("RETREAT", "disarm"), "surrender": ("RETREAT", "disarm"),
    "resign": ("RETREAT", "resign"), "evacuate": ("RETREAT", "withdraw"),
    "return": ("RETREAT", "release"), "compensate": ("RETREAT", None),
    # INVESTIGATE
    "investigate": ("INVESTIGATE", None), "probe": ("INVESTIGATE", None),
    "inspect": ("INVESTIGATE", None), "examine": ("INVESTIGATE", None),
    # DEMAND / REQUEST
    "demand": ("DEMAND", None), "insist": ("DEMAND", None), "order": ("DEMAND", None),
    "urge": ("REQUEST", None), "ask": ("REQUEST", None), "request": ("REQUEST", None),
    "appeal": ("REQUEST", None), "press": ("REQUEST", None), "implore": ("REQUEST", None),
    "petition": ("REQUEST", None), "plead": ("REQUEST", None), "seek": ("REQUEST", None),
    # DISAPPROVE / ACCUSE
    "criticize": ("DISAPPROVE", None), "criticise": ("DISAPPROVE", None),
    "condemn": ("DISAPPROVE", None), "denounce": ("DISAPPROVE", None),
    "deplore": ("DISAPPROVE", None), "decry": ("DISAPPROVE", None),
    "censure": ("DISAPPROVE", None), "rebuke": ("DISAPPROVE", None),
    "complain": ("DISAPPROVE", None), "chide": ("DISAPPROVE", None),
    "slam": ("DISAPPROVE", None), "blast": ("DISAPPROVE", None),
    "protest": ("DISAPPROVE", None), "object": ("DISAPPROVE", None),
    "oppose": ("DISAPPROVE", None), "summon": ("DISAPPROVE", None),
    "warn": ("THREATEN", None),
    "accuse": ("ACCUSE", "allege"), "allege": ("ACCUSE", "allege"),
    "blame": ("ACCUSE", "allege"), "charge": ("ACCUSE", "allege"),
    "indict": ("ACCUSE", "allege"), "sue": ("ACCUSE", "allege"),
    # REJECT
    "reject": ("REJECT", None), "refuse": ("REJECT", None), "decline": ("REJECT", None),
    "deny": ("REJECT", None), "dismiss": ("REJECT", None), "veto": ("REJECT", None),
    "rebuff": ("REJECT", None), "spurn": ("REJECT", None), "defy": ("REJECT", None),
    "boycott": ("PROTEST", "boycott"),
    # THREATEN
    "threaten": ("THREATEN", None),
    # PROTEST
    "demonstrate": ("PROTEST", "demo"), "rally": ("PROTEST", "demo"),
    "march": ("PROTEST", "demo"), "riot": ("PROTEST", "riot"), "picket": ("PROTEST", "demo"),
    # SANCTION
    "sanction": ("SANCTION", "discontinue"), "expel": ("SANCTION", "expel"),
    "suspend": ("SANCTION", "discontinue"), "halt": ("SANCTION", "discontinue"),
    "cancel": ("SANCTION", "discontinue"), "recall": ("SANCTION", "withdraw"),
    "postpone": ("SANCTION", "discontinue"), "reduce": ("SANCTION", "discontinue"),
    "embargo": ("SANCTION", "discontinue"), "downgrade": ("SANCTION", "discontinue"),
    # MOBILIZE
    "mobilize": ("MOBILIZE", "troops"), "mobilise": ("MOBILIZE", "troops"),
    "deploy": ("MOBILIZE", "troops"), "mass": ("MOBILIZE", "troops"),
    "patrol": ("MOBILIZE", "police"),
    # COERCE
    "arrest": ("COERCE", "arrest"), "detain": ("COERCE", "arrest"),
    "jail": ("COERCE", "arrest"), "imprison": ("COERCE", "arrest"),
    "deport": ("COERCE", "deport"), "ban": ("COERCE", "restrict"),
    "censor": ("COERCE", "censor"), "confiscate": ("COERCE", "seize"),
    "seize": ("COERCE", "seize"), "raid": ("COERCE", "seize"), "prevent": ("COERCE", "restrict"),
    "block": ("COERCE", "restrict"), "blockade": ("COERCE", "restrict"),
    "restrict": ("COERCE", "restrict"), "outlaw": ("COERCE", "restrict"),
    "demolish": ("COERCE", "seize"), "bulldoze": ("COERCE", "seize"),
    "occupy": ("COERCE", "seize"), "annex": ("COERCE", "seize"), "impose": ("COERCE", "restrict"),
    "reimpose": ("COERCE", "restrict"), "cordon": ("COERCE", "restrict"),
    "sentence": ("COERCE", "arrest"), "execute": ("ASSAULT", "targeted"),
    # ASSAULT
    "kill": ("ASSAULT", None), "assassinate": ("ASSAULT", "targeted"),
    "murder": ("ASSAULT", "targeted"), "kidnap": ("ASSAULT", "abduct"),
    "abduct": ("ASSAULT", "abduct"), "hijack": ("ASSAULT", "abduct"),
    "torture": ("ASSAULT", "torture"), "beat": ("ASSAULT", "beat"), "wound": ("ASSAULT", None),
    "injure": ("ASSAULT", None), "massacre": ("ASSAULT", "targeted"),
    "bomb": ("ASSAULT", "explosives"), "assault": ("ASSAULT", "beat"),
    "abuse": ("ASSAULT", None), "rape": ("ASSAULT", "sexual"), "burn": ("ASSAULT", "destroy"),
    "destroy": ("ASSAULT", "destroy"), "loot": ("ASSAULT", "destroy"),
    "trash": ("ASSAULT", "destroy"), "storm": ("ASSAULT", None),
    # FIGHT
    "attack": ("FIGHT", None), "invade": ("FIGHT", None), "shell": ("FIGHT", "heavy-weapons"),
    "fight": ("FIGHT", None), "clash": ("FIGHT", None), "strike": ("FIGHT", None),
    "shoot": ("FIGHT", "firearms"), "fire": ("FIGHT", "heavy-weapons"),
    "bombard": ("FIGHT", "heavy-weapons"), "capture": ("FIGHT", None),
    "recapture": ("FIGHT", None), "ambush": ("FIGHT", "firearms"),
}

# Verb + particle or verb + preposition (the key is "lemma word").
PHRASAL: dict[str, tuple[str, str | None]] = {
    "call for": ("REQUEST", None), "call on": ("REQUEST", None), "call upon": ("REQUEST", None),
    "push for": ("DEMAND", None), "press for": ("REQUEST", None), "appeal for": ("REQUEST", None),
    "ask for": ("REQUEST", None), "plead for": ("REQUEST", None), "lobby for": ("REQUEST", None),
    "meet with": ("CONSULT", None), "talk with": ("CONSULT", None), "talk to": ("CONSULT", None),
    "speak with": ("CONSULT", "phone"), "speak to": ("CONSULT", "phone"),
    "cut off": ("SANCTION", "discontinue"), "break off": ("SANCTION", "withdraw"),
    "call off": ("SANCTION", "discontinue"), "pull out": ("RETREAT", "withdraw"),
    "step down": ("RETREAT", "resign"), "hand over": ("AGREE", None),
    "crack down": ("COERCE", None), "blow up": ("ASSAULT", "destroy"),
    "set up": ("COOPERATE", None), "open up": ("CONCEDE", None),
    "shut down": ("COERCE", "restrict"), "stand by": ("SUPPORT", None),
    "side with": ("SUPPORT", None), "force out": ("COERCE", "deport"),
    "open fire": ("FIGHT", "firearms"), "lash out": ("DISAPPROVE", None),
    "reach out": ("CONSULT", None), "bring together": ("CONSULT", "multilateral"), "sign up": ("AGREE", None), "back down": ("CONCEDE", None),
    "ship out": ("SANCTION", "withdraw"), "fire on": ("FIGHT", "firearms"),
    "fire at": ("FIGHT", "firearms"), "arrive in": ("CONSULT", "visit"),
    "arrive at": ("CONSULT", "visit"), "travel to": ("CONSULT", "visit"),
    "leave for": ("CONSULT", "visit"), "depart for": ("CONSULT", "visit"),
}

# Nouns that name an event when a light or specific verb takes them as object
# ("held talks", "signed an agreement", "imposed a curfew", "staged a protest").
NOUNS: dict[str, tuple[str, str | None]] = {
    "talk": ("CONSULT", None), "meeting": ("CONSULT", None), "negotiation": ("CONSULT", None),
    "consultation": ("CONSULT", None), "discussion": ("CONSULT", None),
    "visit": ("CONSULT", "visit"), "summit": ("CONSULT", "multilateral"),
    "session": ("CONSULT", None), "conference": ("CONSULT", "multilateral"),
    "call": ("CONSULT", "phone"), "mediation": ("CONSULT", "multilateral"),
    "agreement": ("SUPPORT", None), "accord": ("SUPPORT", None), "deal": ("SUPPORT", None),
    "treaty": ("SUPPORT", None), "memorandum": ("SUPPORT", None), "protocol": ("SUPPORT", None),
    "pact": ("SUPPORT", None), "contract": ("SUPPORT", None), "declaration": ("SUPPORT", None),
    "support": ("SUPPORT", None), "recognition": ("SUPPORT", None), "tie": ("SUPPORT", None),
    "relation": ("SUPPORT", None), "cooperation": ("SUPPORT", None),
    "apology": ("SUPPORT", None), "credential": ("SUPPORT", None),
    "aid": ("AID", None), "assistance": ("AID", None), "loan": ("AID", None),
    "grant": ("AID", None), "asylum": ("AID", None), "donation": ("AID", None),
    "weapon": ("AID", None), "arm": ("AID", None), "troop": ("AID", None),
    "compensation": ("RETREAT", None), "ceasefire": ("RETREAT", "ceasefire"),
    "truce": ("RETREAT", "ceasefire"), "amnesty": ("CONCEDE", None),
    "investigation": ("INVESTIGATE", None), "inquiry": ("INVESTIGATE", None),
    "probe": ("INVESTIGATE", None),
    "demand": ("DEMAND", None), "ultimatum": ("THREATEN", None), "threat": ("THREATEN", None),
    "warning": ("THREATEN", None), "appeal": ("REQUEST", None), "request": ("REQUEST", None),
    "criticism": ("DISAPPROVE", None), "complaint": ("DISAPPROVE", None),
    "accusation": ("ACCUSE", "allege"), "charge": ("ACCUSE", "allege"),
    "lawsuit": ("ACCUSE", "allege"), "suit": ("ACCUSE", "allege"),
    "protest": ("PROTEST", "demo"), "demonstration": ("PROTEST", "demo"),
    "rally": ("PROTEST", "demo"), "march": ("PROTEST", "demo"), "riot": ("PROTEST", "riot"),
    "strike": ("PROTEST", "strike"), "boycott": ("PROTEST", "boycott"),
    "sanction": ("SANCTION", "discontinue"), "embargo": ("SANCTION", "discontinue"),
    "curfew": ("COERCE", "curfew"), "blockade": ("COERCE", "restrict"),
    "restriction": ("COERCE", "restrict"), "ban": ("COERCE", "restrict"),
    "law": ("COERCE", "martial-law"), "emergency": ("COERCE", "martial-law"),
    "blackout": ("COERCE", "censor"), "raid": ("COERCE", "seize"),
    "patrol": ("MOBILIZE", "police"), "exercise": ("MOBILIZE", "troops"),
    "drill": ("MOBILIZE", "troops"), "reservist": ("MOBILIZE", "troops"),
    "attack": ("FIGHT", None), "offensive": ("FIGHT", None), "invasion": ("FIGHT", None),
    "airstrike": ("FIGHT", "aerial"), "bombing": ("ASSAULT", "explosives"),
    "fire": ("FIGHT", "firearms"), "artillery": ("FIGHT", "heavy-weapons"),
    "shell": ("FIGHT", "heavy-weapons"), "missile": ("FIGHT", "heavy-weapons"),
    "rocket": ("FIGHT", "heavy-weapons"), "bomb": ("ASSAULT", "explosives"),
    "war": ("FIGHT", None), "campaign": ("FIGHT", None),
    "aggression": ("FIGHT", None), "incursion": ("FIGHT", None),
    "intervention": ("MOBILIZE", "troops"), "deployment": ("MOBILIZE", "troops"),
    "expulsion": ("SANCTION", "expel"), "arrest": ("COERCE", "arrest"),
    "detention": ("COERCE", "arrest"), "deportation": ("COERCE", "deport"),
    "crackdown": ("COERCE", None), "suppression": ("COERCE", None),
}

# Nouns that carry the event of their compound modifier ("a mediation effort").
CARRIER_NOUNS: frozenset[str] = frozenset({
    "effort", "mission", "bid", "drive", "initiative", "process", "round", "operation",
    "move", "plan", "attempt", "action", "programme", "program",
})

# Verbs that carry no type of their own but take the type of their object noun.
LIGHT_VERBS: frozenset[str] = frozenset({
    "hold", "have", "make", "take", "conduct", "carry", "launch", "stage", "mount", "issue",
    "begin", "start", "open", "resume", "pay", "extend", "express", "voice", "lodge", "file",
    "organize", "organise", "initiate", "undertake", "declare", "announce", "order",
    "send", "dispatch", "establish", "sign", "conclude", "finalize", "finalise", "reach",
    "seal", "ink", "strike", "enter", "wage", "join", "call", "convene", "stop",
})

# Light verb + noun -> a different type than the noun alone.
VERB_NOUN: dict[tuple[str, str], tuple[str, str | None]] = {
    ("sign", "agreement"): ("SUPPORT", None), ("reach", "agreement"): ("AGREE", None),
    ("reach", "deal"): ("AGREE", None), ("reach", "accord"): ("AGREE", None),
    ("impose", "sanction"): ("SANCTION", "discontinue"),
    ("impose", "embargo"): ("SANCTION", "discontinue"),
    ("impose", "curfew"): ("COERCE", "curfew"), ("impose", "law"): ("COERCE", "martial-law"),
    ("impose", "blockade"): ("COERCE", "restrict"), ("lift", "curfew"): ("CONCEDE", None),
    ("lift", "sanction"): ("RETREAT", None), ("lift", "embargo"): ("RETREAT", None),
    ("lift", "ban"): ("CONCEDE", None), ("lift", "restriction"): ("CONCEDE", None),
    ("ease", "sanction"): ("RETREAT", None), ("ease", "restriction"): ("CONCEDE", None),
    ("break", "relation"): ("SANCTION", "withdraw"), ("break", "tie"): ("SANCTION", "withdraw"),
    ("sever", "relation"): ("SANCTION", "withdraw"), ("sever", "tie"): ("SANCTION", "withdraw"),
    ("cut", "tie"): ("SANCTION", "withdraw"), ("cut", "relation"): ("SANCTION", "withdraw"),
    ("suspend", "tie"): ("SANCTION", "withdraw"), ("abandon", "tie"): ("SANCTION", "withdraw"),
    ("abandon", "relation"): ("SANCTION", "withdraw"),
    ("restore", "tie"): ("SUPPORT", None), ("restore", "relation"): ("SUPPORT", None),
    ("establish", "tie"): ("SUPPORT", None), ("establish", "relation"): ("SUPPORT", None),
    ("send", "troop"): ("MOBILIZE", "troops"), ("deploy", "troop"): ("MOBILIZE", "troops"),
    ("send", "aid"): ("AID", None), ("send", "weapon"): ("AID", None),
    ("open", "fire"): ("FIGHT", "firearms"), ("open", "border"): ("RETREAT", "access"),
    ("close", "border"): ("COERCE", "restrict"), ("seal", "border"): ("COERCE", "restrict"),
    ("declare", "ceasefire"): ("RETREAT", "ceasefire"), ("declare", "war"): ("THREATEN", None),
    ("declare", "emergency"): ("COERCE", "martial-law"),
    ("pay", "visit"): ("CONSULT", "visit"), ("make", "visit"): ("CONSULT", "visit"),
    ("make", "call"): ("CONSULT", "phone"), ("hold", "call"): ("CONSULT", "phone"),
    ("file", "suit"): ("ACCUSE", "allege"), ("file", "lawsuit"): ("ACCUSE", "allege"),
    ("file", "complaint"): ("ACCUSE", "allege"), ("lodge", "complaint"): ("DISAPPROVE", None),
    ("lodge", "protest"): ("DISAPPROVE", None), ("issue", "ultimatum"): ("THREATEN", None),
    ("issue", "warning"): ("THREATEN", None), ("express", "support"): ("SUPPORT", None),
    ("present", "credential"): ("SUPPORT", None), ("grant", "asylum"): ("AID", "asylum"),
    ("set", "fire"): ("ASSAULT", "destroy"), ("wage", "war"): ("FIGHT", None),
    ("launch", "attack"): ("FIGHT", None), ("reduce", "supply"): ("SANCTION", "discontinue"),
    ("halt", "aid"): ("SANCTION", "discontinue"), ("cut", "aid"): ("SANCTION", "discontinue"),
    ("stop", "aid"): ("SANCTION", "discontinue"), ("stop", "work"): ("PROTEST", "strike"),
    ("block", "road"): ("PROTEST", "obstruct"), ("collect", "signature"): ("PROTEST", "demo"),
    ("receive", "observer"): ("RETREAT", "access"), ("allow", "inspector"): ("RETREAT", "access"),
    ("return", "weapon"): ("RETREAT", "disarm"), ("lay", "arm"): ("RETREAT", "disarm"),
    ("share", "intelligence"): ("COOPERATE", None), ("share", "evidence"): ("COOPERATE", None),
    ("share", "information"): ("COOPERATE", None), ("share", "data"): ("COOPERATE", None),
    ("provide", "intelligence"): ("AID", None), ("take", "step"): ("CONCEDE", None),
    ("accept", "demand"): ("CONCEDE", None), ("accept", "mediation"): ("AGREE", None),
    ("reject", "demand"): ("REJECT", None), ("cancel", "visit"): ("SANCTION", "withdraw"),
    ("expel", "diplomat"): ("SANCTION", "expel"), ("recall", "ambassador"): ("SANCTION", "withdraw"),
    ("summon", "ambassador"): ("DISAPPROVE", None), ("strengthen", "tie"): ("SUPPORT", None),
    ("boost", "tie"): ("SUPPORT", None), ("boost", "cooperation"): ("SUPPORT", None),
    ("stage", "strike"): ("PROTEST", "strike"), ("go", "strike"): ("PROTEST", "strike"),
}

# Verbs of saying: not events themselves (CAMEO 01 is dropped by PLOVER) but they attribute
# the clause they govern.
SPEECH: frozenset[str] = frozenset({
    "say", "tell", "announce", "state", "declare", "claim", "report", "add", "note", "stress",
    "confirm", "write", "quote", "reveal", "assert", "argue", "insist", "explain", "suggest",
    "indicate", "conclude", "maintain", "acknowledge", "admit", "reiterate", "emphasize",
    "emphasise", "remark", "comment", "predict", "believe", "think", "hint", "signal",
})

# Wrappers taking a to-infinitive: (kind). commit -> AGREE or THREATEN by the embedded type;
# intent -> embedded type, hypothetical; refuse -> REJECT; threaten -> THREATEN;
# request -> REQUEST/DEMAND aimed at the object; pass -> embedded event, as is.
WRAPPERS: dict[str, str] = {
    "agree": "commit", "promise": "commit", "pledge": "commit", "offer": "commit",
    "vow": "commit", "undertake": "commit", "volunteer": "commit", "swear": "commit",
    "commit": "commit", "decide": "pass", "resolve": "pass",
    "seek": "intent", "hope": "intent", "plan": "intent", "intend": "intent", "want": "intent",
    "try": "intent", "aim": "intent", "wish": "intent", "attempt": "intent", "expect": "intent",
    "prepare": "intent", "mull": "intent", "consider": "intent", "propose": "intent",
    "strive": "intent", "endeavor": "intent", "endeavour": "intent", "look": "intent",
    "refuse": "refuse", "decline": "refuse", "fail": "refuse", "reject": "refuse",
    "threaten": "threaten", "warn": "threaten",
    "urge": "request", "ask": "request", "call": "request", "demand": "request",
    "press": "request", "appeal": "request", "order": "request", "request": "request",
    "continue": "pass", "begin": "pass", "start": "pass", "move": "pass", "manage": "pass",
    "go": "pass", "help": "pass", "act": "pass", "resume": "pass", "stop": "pass",
}

# Predicative adjectives with a to-infinitive ("is ready to", "is about to").
ADJ_WRAPPERS: dict[str, str] = {
    "ready": "commit", "willing": "commit", "prepared": "commit", "eager": "intent",
    "about": "intent", "set": "intent", "likely": "hedge", "unlikely": "hedge",
    "expected": "hedge", "poised": "intent", "determined": "commit", "able": "hedge",
    "unable": "refuse", "reluctant": "refuse", "unwilling": "refuse",
}

# Nouns that denote people or groups: acceptable as an actor without a named entity.
GROUP_NOUNS: frozenset[str] = frozenset({
    "government", "authority", "official", "minister", "president", "leader", "police",
    "policeman", "soldier", "troop", "army", "force", "military", "militia", "militiaman",
    "rebel", "guerrilla", "guerilla", "insurgent", "militant", "fighter", "demonstrator",
    "protester", "protestor", "activist", "student", "worker", "farmer", "civilian",
    "refugee", "prisoner", "opposition", "party", "parliament", "lawmaker", "legislator",
    "court", "judge", "prosecutor", "diplomat", "ambassador", "envoy", "delegation",
    "negotiator", "regime", "administration", "ministry", "cabinet", "junta", "council",
    "union", "group", "faction", "movement", "settler", "villager", "resident", "journalist",
    "reporter", "agency", "organization", "organisation", "coalition", "alliance", "bloc",
    "fm", "pm", "mp", "spokesman", "spokeswoman", "spokesperson", "mayor", "governor",
    "commander", "general", "chief", "head", "premier", "chancellor", "king", "emir",
    "sheikh", "prince", "crowd", "mob", "gang", "bomber", "gunman", "assailant", "attacker",
    "kurd", "people", "citizen", "national", "immigrant", "migrant", "member", "delegate",
    "representative", "monarch", "cleric", "bishop", "archbishop", "secretary", "counterpart",
    "state", "country", "nation", "power", "ally", "neighbour", "neighbor", "partner",
    "peacekeeper", "observer", "inspector", "hacker", "elite", "community",
    "supporter", "follower", "loyalist", "inhabitant", "youth", "employee", "veteran",
    "deputy", "guard", "sympathizer", "sympathiser", "dissident", "separatist",
    "extremist", "terrorist", "jihadist", "islamist", "nationalist", "communist", "mission",
})

# Anaphors for "both sides" of the previous event ("Pair signed raft of agreements").
PAIR_WORDS: frozenset[str] = frozenset({"pair", "duo", "both", "two", "sides", "side", "leaders"})
