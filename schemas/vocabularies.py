"""The documented vocabularies of the event contracts, with what each value covers.

The allowed values themselves are the ``Literal`` types in :mod:`schemas.records`; this module
says what they mean, for the JSON Schema descriptions, the consumer README and the extractor
authors. ``tests/test_schemas_vocabularies.py`` checks that both stay the same set.
"""

from __future__ import annotations

VICTIM_CATEGORIES: dict[str, str] = {
    "civilian": "Non-combatants: residents, workers, pilgrims, officials and employees outside the "
    "security forces, journalists, children.",
    "security": "Members of state security forces on duty or off: army, police, border guards, "
    "intelligence services, regional forces such as the Peshmerga, and foreign government troops.",
    "militant": "Members of armed groups fighting the state (insurgents, jihadist groups), including "
    "attackers such as a suicide bomber when the text says they died.",
    "militia": "Armed groups that are neither regular forces nor insurgents: pro-government, tribal or "
    "sectarian militias (e.g. Sahwa/Awakening councils) and their members.",
    "unknown": "The text does not say who the victims were (\"people\", \"bodies\").",
    "mixed": "Incident level only: several victim groups; the breakdown is in `victims`.",
}
"""``victim_category`` values. ``mixed`` is never used inside ``victims``."""

METHODS: dict[str, str] = {
    "ied": "Improvised explosive device, roadside or sticky bomb, landmine, or a bomb of unstated kind.",
    "car_bomb": "Vehicle-borne bomb (car, truck, motorcycle) not driven by a suicide attacker.",
    "suicide_bombing": "Attacker detonates explosives on their body or in a vehicle they drive.",
    "airstrike": "Strike by aircraft, helicopter or drone.",
    "shelling": "Shelling, artillery, mortar, rocket or missile fire.",
    "gunfire": "Shooting by attackers at victims who are not fighting back (drive-by, assassination).",
    "armed_clash": "Fighting between armed sides.",
    "execution": "Killing of captives: executions, beheadings, kidnapped people killed.",
    "sniper": "Sniper fire.",
    "bodies_found": "Bodies or mass graves found, victims of earlier violence.",
    "other": "A known method outside this list: grenade, stabbing, arson, chemical weapon...",
    "unknown": "The text does not say how the victims were killed or wounded.",
}
"""``method`` values."""

ACLED_SUB_EVENTS: dict[str, tuple[str, ...]] = {
    "ied": ("Explosions/Remote violence: Remote explosive/landmine/IED",),
    "car_bomb": ("Explosions/Remote violence: Remote explosive/landmine/IED",),
    "suicide_bombing": ("Explosions/Remote violence: Suicide bomb",),
    "airstrike": ("Explosions/Remote violence: Air/drone strike",),
    "shelling": ("Explosions/Remote violence: Shelling/artillery/missile attack",),
    "gunfire": ("Violence against civilians: Attack", "Battles: Armed clash"),
    "armed_clash": ("Battles: Armed clash",),
    "execution": ("Violence against civilians: Attack",),
    "sniper": ("Violence against civilians: Attack", "Battles: Armed clash"),
    "bodies_found": ("Violence against civilians: Attack", "Strategic developments: Other"),
    "other": (
        "Explosions/Remote violence: Grenade",
        "Explosions/Remote violence: Chemical weapon",
        "Violence against civilians: Attack",
    ),
    "unknown": (),
}
"""The ACLED ``event type: sub-event type`` each ``method`` maps onto.

Where two are listed, the victims decide: civilians attacked by an armed side are
"Violence against civilians: Attack", armed sides fighting each other are "Battles: Armed
clash"; ACLED codes mass-grave discoveries as "Strategic developments: Other".
"""

PERPETRATORS: dict[str, str] = {
    "militants": "Insurgent or jihadist armed groups fighting the state (e.g. al-Qaeda in Iraq, ISIS).",
    "security_forces": "The country's own army, police or other state forces.",
    "militia": "Pro-government, tribal or sectarian militias.",
    "coalition": "The international (US-led) coalition forces.",
    "foreign_military": "Another state's forces acting on their own (e.g. cross-border strikes).",
    "gunmen": "Attackers the text calls gunmen or assailants without saying who they were.",
    "unknown": "The text does not say who was responsible.",
}
"""``perpetrator`` values."""

PRECISIONS: dict[str, str] = {
    "site": "A specific spot: a building, market, checkpoint, mosque or road junction.",
    "neighbourhood": "A neighbourhood or quarter of a city.",
    "city": "A city, town or village.",
    "district": "A second-level division (district, qadha).",
    "region": "A first-level division (province, governorate); `region_code` is set.",
    "country": "Only the country is known.",
    "unknown": "No place could be resolved.",
}
"""``location.precision`` values, from finest to coarsest."""

ERROR_CODES: dict[str, str] = {
    "not_utf8": "The message bytes are not valid UTF-8 text.",
    "invalid_json": "The message is not valid JSON (syntax error, or nested more than 1024 levels deep).",
    "not_an_object": "The message is valid JSON but not an object (e.g. an array or a string).",
    "missing_field": "A required field (`body`) is absent or null.",
    "wrong_type": "A field has the wrong JSON type, e.g. a number where a string is expected.",
    "empty_body": "`body` is empty or only whitespace.",
    "too_large": "The message or its `body` is over the size limit (default 1 MiB); it is rejected, "
    "not truncated.",
    "invalid_value": "A field has the right type but an unusable value, e.g. `published` that is not "
    "an ISO-8601 date, or an empty `id`.",
    "unknown_place": "Extraction found casualties but could not resolve where they happened.",
    "extraction_failed": "The extractor raised an error on this article.",
}
"""``error_code`` values of dead letters: stable, consumers may branch on them."""


def describe(vocabulary: dict[str, str]) -> str:
    """Render a vocabulary as one line for a JSON Schema ``description``."""
    return " ".join(f"`{value}`: {meaning}" for value, meaning in vocabulary.items())
