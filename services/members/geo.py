"""Countries (ISO 3166-1 alpha-2, through pycountry) and the continent each belongs to."""

from __future__ import annotations

import functools

import pycountry

CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}

# Transcontinental countries are placed where the UN geoscheme puts them (Russia, Turkey and
# the Caucasus in Europe/Asia as below).
_BY_CONTINENT = {
    "AF": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY "
    "MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA "
    "ZM ZW IO",
    "AN": "AQ BV GS HM TF",
    "AS": "AE AF AM AZ BD BH BN BT CC CN CX CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ "
    "LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    "EU": "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
    "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
    "NA": "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS "
    "MX NI PA PM PR SV SX TC TT US VC VG VI UM",
    "OC": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
    "SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
}
COUNTRY_CONTINENT = {
    country: continent for continent, codes in _BY_CONTINENT.items() for country in codes.split()
}


@functools.lru_cache(maxsize=512)
def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for `value` (a code, any case), or None if unknown."""
    if not isinstance(value, str) or len(value.strip()) != 2:
        return None
    code = value.strip().upper()
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def country_name(code: str | None) -> str | None:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.name if country else None


def continent_of(country: str | None) -> str | None:
    return COUNTRY_CONTINENT.get((country or "").upper())


@functools.lru_cache(maxsize=512)
def language_code(value: str) -> str | None:
    """A language tag: ISO 639-1/639-3 code, optionally with a region (`pt-BR`), normalised."""
    if not isinstance(value, str):
        return None
    primary, _, region = value.strip().replace("_", "-").partition("-")
    primary = primary.lower()
    if len(primary) == 2:
        found = pycountry.languages.get(alpha_2=primary)
    elif len(primary) == 3:
        found = pycountry.languages.get(alpha_3=primary)
    else:
        found = None
    if found is None:
        return None
    if region:
        if country_code(region) is None:
            return None
        return f"{primary}-{region.upper()}"
    return primary
