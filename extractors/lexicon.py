"""Vocabularies: victim nouns and their category, method cues, perpetrator cues, trigger words.

All lookups are on lower-cased tokens. Documented in ``extractors/README.md``; keep the two in sync.
"""

from __future__ import annotations

from typing import Final

# --- victim nouns -> category ------------------------------------------------------------
_CIVILIAN: Final = (
    "civilian", "civilians", "woman", "women", "child", "children", "boy", "boys", "girl", "girls", "teenager",
    "teenagers", "student", "students", "teacher", "teachers", "doctor", "doctors", "pilgrim", "pilgrims",
    "worker", "workers", "employee", "employees", "farmer", "farmers", "shepherd", "shepherds", "journalist",
    "journalists", "reporter", "reporters", "official", "officials", "judge", "judges", "mayor", "mayors",
    "lawyer", "lawyers", "engineer", "engineers", "merchant", "merchants", "shopkeeper", "shopkeepers",
    "driver", "drivers", "imam", "imams", "sheikh", "sheikhs", "cleric", "clerics", "politician", "politicians",
    "councilman", "councilmen", "councilwoman", "lawmaker", "lawmakers", "parliamentarian", "parliamentarians",
    "legislator", "legislators", "senator", "senators", "wife", "wives", "son", "sons",
    "daughter", "daughters", "brother", "brothers", "sister", "sisters", "father", "mother", "husband",
    "relative", "relatives", "family", "families", "bystander", "bystanders", "passerby", "passersby",
    "passer-by", "passers-by", "neighbour", "neighbours", "neighbor", "neighbors",
    "villager", "villagers", "resident", "residents", "protester", "protesters", "protestor", "protestors",
    "demonstrator", "demonstrators", "infant", "infants", "baby", "babies", "gynecologist", "professor",
    "professors", "barber", "barbers", "contractor", "contractors", "candidate", "candidates", "manager",
    "director", "businessman", "businessmen", "nurse", "nurses", "hostage", "hostages", "worshipper",
    "worshippers", "worshipers", "mukhtar", "tribesman", "tribesmen", "refugees", "refugee", "shopper",
    "shoppers", "christian", "christians", "yazidi", "yazidis", "shabak", "kakai", "cousin", "cousins",
    "nephew", "grandson", "niece", "nieces", "nephews", "leader", "leaders", "pharmacist", "chief", "chiefs",
    "elder", "elders", "pupil", "pupils", "herder", "herders", "fisherman", "fishermen", "miner", "miners",
    "trader", "traders", "passenger", "passengers", "mourner", "mourners", "guest", "guests", "pedestrian",
    "pedestrians", "motorist", "motorists", "labourer", "labourers", "laborer", "laborers",
    # (plurals and professions the first list missed, found by a check of singular/plural pairs)
    "managers", "directors", "mukhtars", "grandsons", "pharmacists", "worshiper", "fathers", "mothers",
    "husbands", "councilwomen", "translator", "translators", "interpreter", "interpreters", "vendor", "vendors",
    "baker", "bakers", "photographer", "photographers", "cameraman", "cameramen", "activist", "activists",
    "toddler", "toddlers", "youth", "youths", "grandfather", "grandmother", "uncle", "uncles", "aunt", "aunts",
    "migrant", "migrants", "governor", "governors", "mp", "mps", "diplomat", "diplomats", "tourist", "tourists",
    "humanitarian", "humanitarians", "medic", "medics", "paramedic", "paramedics", "firefighter", "firefighters",
    # (owners of shops and stores, clerks, the callers to prayer: round-ups' victims too)
    "owner", "owners", "clerk", "clerks", "muezzin", "muezzins",
    # (the world's wires: clergy, crowds and trades of other countries' reports)
    "priest", "priests", "pastor", "pastors", "monk", "monks", "nun", "nuns", "bishop", "churchgoers",
    "congregants", "herdsman", "herdsmen", "nomad", "nomads", "commuter", "commuters", "customer", "customers",
    "spectator", "spectators", "patient", "patients", "schoolchildren", "schoolgirl", "schoolgirls", "schoolboy",
    "schoolboys", "teen", "teens", "adult", "adults", "minister", "ministers", "ambassador", "envoy", "staffer",
    "staffers", "inmate", "inmates", "settler", "settlers", "rancher", "ranchers", "logger", "loggers",
    # (trades and callings a check of common ones found missing: "gunmen killed the analyst")
    "analyst", "analysts", "physician", "physicians", "surgeon", "surgeons", "dentist", "dentists", "headmaster",
    "headmasters", "headteacher", "prosecutor", "prosecutors", "preacher", "preachers", "councillor",
    "councillors", "councilor", "councilors", "tailor", "tailors", "lecturer", "lecturers", "athlete", "athletes",
    "footballer", "footballers", "singer", "singers", "artist", "artists", "poet", "poets", "writer", "writers",
    "blogger", "bloggers", "chieftain", "chieftains",
    # (the people of a gathering: "killed the groom and 20 guests", "nine revellers")
    "groom", "bridegroom", "bride", "diner", "diners", "reveller", "revellers", "reveler", "revelers", "fan",
    "fans", "attendee", "attendees", "onlooker", "onlookers", "traveller", "travellers", "traveler", "travelers",
    "partygoer", "partygoers", "concertgoer", "concertgoers", "voter", "voters", "camper", "campers",
)
_SECURITY: Final = (
    "soldier", "soldiers", "forces", "force", "policeman", "policemen", "police", "policewoman", "officer",
    "officers", "troops", "trooper", "marine", "marines", "gi", "gis", "serviceman", "servicemen",
    "servicemember", "servicemembers", "troopers", "peshmerga", "brigadiers", "captains", "colonels", "generals",
    "lieutenants", "sergeants", "policewomen",
    "guardsman", "guardsmen", "commando", "commandos", "army", "commander", "commanders", "general",
    "brigadier", "colonel", "captain", "major", "lieutenant", "sergeant", "recruit", "recruits", "cadet",
    "cadets", "security", "personnel", "intelligence", "pilot", "pilots", "sappers", "sapper", "border", "swat",
    "constable", "constables", "jawan", "jawans", "gendarme", "gendarmes", "ranger", "rangers", "paramilitary",
    "paramilitaries", "warden", "wardens",
    "peacekeeper", "peacekeepers", "sailor", "sailors", "airman", "airmen", "conscript", "conscripts",
    "reservist", "reservists", "detective", "detectives"
)
_MILITANT: Final = (
    "militant", "militants", "gunman", "gunmen", "insurgent", "insurgents", "rebel", "rebels", "bomber",
    "bombers", "jihadist", "jihadists", "terrorist", "terrorists", "extremist", "extremists", "daesh", "isis",
    "isil", "qaeda", "taliban", "shabab", "al-shabab", "al-qaeda", "fighter", "fighters", "suspect", "suspects",
    "combatant", "combatants", "guerrilla", "guerrillas", "assailant", "assailants", "attacker", "attackers",
    "bandit", "bandits", "separatist", "separatists", "kidnapper", "kidnappers", "pirate", "pirates", "raider",
    "raiders", "jihadi", "jihadis",
    # (a modifier only: "suspected sect members", Nigerian papers' name for Boko Haram's fighters)
    "sect",
)
_MILITIA: Final = (
    "militiaman", "militiamen", "militia", "militias", "sahwa", "awakening", "hashd", "pmf", "pmu",
    "mobilization", "tribal", "vigilante", "vigilantes"
)
_UNKNOWN: Final = (
    "person", "persons", "people", "others", "other", "more", "iraqis", "iraqi", "individuals", "victims",
    "man", "men", "guard", "guards", "bodyguard", "bodyguards", "expert", "experts", "member", "members",
    "body", "bodies", "corpses", "detainee", "detainees", "prisoner", "prisoners"
)

VICTIM_CATEGORY: Final[dict[str, str]] = {}
for _cat, _words in (
    ("unknown", _UNKNOWN),
    ("civilian", _CIVILIAN),
    ("security", _SECURITY),
    ("militant", _MILITANT),
    ("militia", _MILITIA),
):
    for _w in _words:
        VICTIM_CATEGORY[_w] = _cat

# A modifier that overrides the head noun's category ("Peshmerga fighters", "Sahwa member",
# "Islamic State members", "police officers", "border guards"). Higher wins.
CATEGORY_PRIORITY: Final = {"unknown": 0, "civilian": 1, "security": 2, "militant": 3, "militia": 4}
# Head nouns whose category is decided by their modifiers (a "fighter" is whatever side says).
WEAK_HEADS: Final = frozenset(
    (
        "fighter", "fighters", "member", "members", "guard", "guards", "bodyguard", "bodyguards", "officer",
        "officers", "official", "officials", "personnel", "man", "men", "people", "persons"
    )
)

# Singular person nouns: "a/an/his/her <noun>" counts one.
PERSON_WORDS: Final = frozenset(VICTIM_CATEGORY) - {"police", "army", "security", "intelligence", "border", "sect"}

# Nouns that are never victims (ends a noun phrase, stops "a/an" from counting).
NON_PERSON: Final = frozenset(
    (
        "bomb", "bombs", "blast", "blasts", "explosion", "explosions", "car", "cars", "vehicle", "vehicles",
        "home", "homes", "house", "houses", "building", "buildings", "checkpoint", "checkpoints", "convoy",
        "convoys", "patrol", "patrols", "attack", "attacks", "mosque", "market", "device", "devices", "shell",
        "shells", "mortar", "mortars", "rocket", "rockets", "airstrike", "airstrikes", "strike", "strikes",
        "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute",
        "minutes", "time", "times", "percent", "kilometers", "kilometres", "miles", "meters", "metres",
        "dollars", "dinars", "village", "villages", "city", "cities", "town", "towns", "area", "areas",
        "district", "districts", "province", "provinces", "camp", "camps", "shop", "shops", "store", "stores",
        "road", "roads", "street", "streets", "hospital", "school", "schools", "office", "offices", "raid",
        "raids", "clash", "clashes", "operation", "operations", "grave", "graves", "round", "rounds",
        # weapons ("killed a shopkeeper, and an IED wounded three": the list's last phrase is the
        # subject of a new predicate, not one more victim)
        "ied", "ieds", "i.e.d", "i.e.d.", "vbied", "grenade", "grenades", "missile", "missiles", "drone", "drones",
        "landmine", "landmines", "mine", "mines", "shelling", "bombing", "bombings", "gunfire", "ambush",
        "ambushes", "artillery", "explosive", "explosives", "warplane", "warplanes", "helicopter", "helicopters",
    )
)

# --- triggers ------------------------------------------------------------------------------
# Verbs that take the victims as object in active voice ("X killed five militants").
# ("neutralized" is the Turkish and Iraqi military's word for killed in these reports)
ACTIVE_KILL: Final = frozenset((
    "kill", "killed", "killing", "kills", "slew", "slaying", "executed", "executing", "beheaded", "beheading", "hanged",
    "assassinated", "assassinating", "massacred", "massacring", "neutralized", "neutralizing", "neutralised",
    "neutralising", "murdered", "murdering",
    # (other reports' words: slaughter; military jargon of "eliminated" fighters. Each needs its
    # stem in the sentence filter, extractors.steps_text._STEMS, which every sentence pays for)
    "slaughtered", "slaughtering", "eliminated", "eliminating",
    # (armies' and ministries' word in the wars of the former Soviet Union)
    "liquidated", "liquidating",
    # ("we lost ten soldiers": a side's own dead; a person object only, and no stem of its own,
    # so only a sentence with another casualty word is read for it)
    "lost", "losing",
))
ACTIVE_WOUND: Final = frozenset((
    "wounded", "wounding", "wounds", "injured", "injuring", "injures", "injure", "hurt", "hurting", "maimed"
))
# Words that report victims in predicate/passive position only ("five were slain", "left 9 dead").
PASSIVE_KILL: Final = frozenset((
    "dead", "died", "slain", "perished", "killed", "executed", "beheaded", "assassinated", "massacred", "hanged",
    "murdered", "neutralized", "neutralised", "martyred", "succumbed", "slaughtered", "eliminated",
    "liquidated",
))
# Idioms of dying whose subject is the dead ("lost their lives", "embraced martyrdom" in South Asian
# reporting): last word -> the words before it, each a set of alternatives.
_POSSESSIVE: Final = frozenset(("their", "his", "her"))
DEATH_IDIOMS: Final[dict[str, tuple[tuple[frozenset[str], ...], ...]]] = {
    "lives": ((frozenset(("lost", "losing")), _POSSESSIVE),),
    "life": ((frozenset(("lost", "losing")), _POSSESSIVE),),
    "martyrdom": ((frozenset(("embraced", "embracing", "attained")),),),
    "shahadat": ((frozenset(("embraced", "embracing", "attained")),),),
    "last": ((frozenset(("breathed",)), _POSSESSIVE),),
    # (Pakistani military statements: "four terrorists were sent to hell"; no stem of its own, so
    # read in a sentence with another casualty word, as such statements are told)
    "hell": ((frozenset(("sent",)), frozenset(("to",))),),
}
PASSIVE_WOUND: Final = frozenset(["wounded", "injured", "hurt", "hospitalised", "hospitalized"])
BODY_WORDS: Final = frozenset(["body", "bodies", "corpse", "corpses", "remains"])
"""(read only with a word of finding in the sentence: "the remains of 24 villagers were exhumed";
"remains" as a verb has no persons after it)"""
FIND_WORDS: Final = frozenset((
    "found", "discovered", "recovered", "pulled", "received", "dumped", "unearthed", "retrieved", "exhumed",
    "grave", "graves",
    # (bodies that turn up, are fished out, wash up, are picked up, left or spotted: found too)
    "turned", "fished", "washed", "picked", "dragged", "spotted", "collected", "left", "lying", "littered",
    "dug", "brought", "floating",
    # (bodies counted are bodies seen: "a resident said he counted 42 bodies")
    "counted",
))
# Auxiliaries and adverbs between a passive subject and its participle ("were also reportedly").
AUX: Final = frozenset((
    "was", "were", "been", "be", "being", "is", "are", "have", "has", "had", "also", "reportedly", "later",
    "seriously", "critically", "slightly", "lightly", "badly", "mistakenly", "allegedly", "all", "both",
    "reported", "confirmed", "believed", "said", "initially", "subsequently", "eventually", "then", "either",
    "fatally", "mortally", "already", "known", "meanwhile", "apparently", "now", "feared", "thought", "presumed"
))

# --- method cues (first match in priority order wins) -------------------------------------
METHOD_CUES: Final[list[tuple[str, tuple[str, ...]]]] = [
    ("bodies_found", ("bodies", "body", "corpses", "mass grave", "found dead", "dumped")),
    ("suicide_bombing", ("suicide",)),
    ("car_bomb", ("car bomb", "car-bomb", "vbied", "explosives-laden", "booby-trapped car", "car laden")),
    ("airstrike", ("airstrike", "air strike", "air raid", "airstrikes", "air strikes", "drone", "warplane",
                   "jets", "bombed", "helicopter", "drones", "warplanes", "helicopters")),
    ("ied", ("roadside bomb", "i.e.d", "ied", "ieds", "improvised explosive", "sticky bomb", "magnetic bomb",
             "landmine", "land mine", "booby-trap", "booby trap", "mine", "explosive device",
             "explosive devices", "mines", "landmines")),
    # (a missile is told as shelling, as ACLED's "Shelling/artillery/missile attack")
    ("shelling", ("mortar", "shelling", "shells", "rocket", "katyusha", "artillery", "shelled", "mortars", "rockets",
                  "missile", "missiles", "shell")),
    ("execution", ("executed", "execution", "beheaded", "beheading", "hanged", "executions")),
    ("sniper", ("sniper", "snipers")),
    # a bomb of unstated kind is an IED (ACLED "Remote explosive/landmine/IED"); after shelling so
    # that "a mortar blast" stays shelling, before clashes and gunmen so that "gunmen planted a
    # bomb" is the bomb
    ("ied", ("bomb", "bombs", "blast", "blasts", "explosion", "explosions", "bombing", "bombings")),
    ("armed_clash", ("clash", "clashes", "fighting", "battle", "operation", "raid", "ambush", "firefight",
                     "security forces killed", "troops killed", "by security forces", "by troops", "raids",
                     "ambushes", "battles", "gunbattle", "gun battle")),
    ("gunfire", ("gunmen", "gunman", "shot", "shooting", "gunfire", "opened fire", "drive-by", "small arms",
                 "assassinated", "gunned", "shootings", "gunshot", "gunshots")),
    ("other", ("grenade", "grenades", "dynamite", "stabbed", "knife")),
]

# Nouns that name the cause of an event; a new one starts a new incident in the same sentence.
CAUSE_WORDS: Final = frozenset(
    (
        "bomb", "bombs", "blast", "blasts", "explosion", "explosions", "bombing", "bombings", "bomber",
        "bombers", "i.e.d", "i.e.d.", "ied", "ieds", "airstrike", "airstrikes", "strike", "strikes", "shelling",
        "mortar", "mortars", "rocket", "rockets", "grenade", "grenades", "gunmen", "gunman", "sniper", "snipers",
        "clash", "clashes", "attack", "attacks", "landmine", "mine", "shooting", "shooter", "warplanes", "warplane",
        "jets", "drone", "drones", "artillery", "shell", "shells", "gunfire", "missile", "missiles", "raid", "raids",
        "ambush",
    )
)

# --- perpetrator cues ---------------------------------------------------------------------
PERPETRATOR_CUES: Final[list[tuple[str, tuple[str, ...]]]] = [
    ("coalition", ("coalition", "u.s.-led", "us-led", "american forces", "u.s. forces", "nato")),
    ("security_forces", ("security forces", "iraqi forces", "troops", "soldiers", "police", "army",
                         "special forces", "golden force", "counter-terrorism", "peshmerga",
                         "policemen")),
    ("militia", ("militiamen", "militia", "hashd", "popular mobilization", "sahwa")),
    ("foreign_military", ("turkish", "iranian", "russian", "syrian government", "israeli", "saudi")),
    ("militants", ("militants", "islamic state", "isis", "daesh", "al-qaeda", "al qaeda", "taliban",
                   "shabab", "insurgents", "suicide bomber", "jihadists")),
    ("gunmen", ("gunmen", "gunman", "attackers", "drive-by")),
]
