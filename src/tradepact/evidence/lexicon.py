"""Word lists the claim rules use: countries, speakers, sectors, cues.

Kept apart from the rules so that adding a country or a minister is a data
change. Patterns are matched case-insensitively unless noted.
"""

from __future__ import annotations

import re

#: Country mentions -> the partner code (ISO3; EU for the Union).
PARTNERS: list[tuple[str, str]] = [
    (r"(?<!North )\b(?:South Korea(?:n|ns)?|Korea(?:n|ns|'s|’s)?|Seoul|Republic of Korea|ROK)\b", "KOR"),
    (r"\b(?:Japan(?:ese|'s|’s)?|Tokyo)\b", "JPN"),
    (r"\b(?:EU|E\.U\.|European Union|Europe(?:an)?|Brussels|German|French)\b", "EU"),
    (r"\b(?:Taiwan(?:ese|'s|’s)?|Taipei|TSMC)\b", "TWN"),
    (r"\b(?:Switzerland|Swiss|Bern)\b", "CHE"),
    (r"\b(?:China|Chinese|Beijing)\b", "CHN"),
    (r"\bArgentin(?:a|e|ian)\b", "ARG"),
    (r"\bRussia(?:n)?\b", "RUS"),
    (r"\bIndia\b", "IND"),
    (r"\bGermany\b", "DEU"),
    (r"\bSaudi Arabia\b", "SAU"),
    (r"\b(?:Vietnam|Vietnamese)\b", "VNM"),
    (r"\b(?:United Kingdom|Britain|British|UK)\b", "GBR"),
]
PARTNER_RX = [(re.compile(p), code) for p, code in PARTNERS]
#: All countries in one pattern: the group name is the code.
PARTNER_ANY = re.compile(r"\b(?=[A-ZÉŠ])(?:" + "|".join(
    f"(?P<{code}>{p.replace('(?<!North )', '')})" for p, code in PARTNERS) + ")")

#: Speakers -> the party the figure is attributed to (None: a third party).
SPEAKERS: list[tuple[str, str | None]] = [
    (r"\b(?:Trump|Lutnick|Bessent|Greer|Vance|White House|Trump administration|"
     r"U\.?S\.? administration|Commerce Department|Commerce Secretary|Treasury Secretary|"
     r"(?:U\.?S\.?|American|Washington) officials?|senior official from the Trump|"
     r"Washington|[Tt]he U\.?S\.?|[Tt]he United States)\b", "USA"),
    (r"\b(?:Kim Yong-?beom|Kim Jung-kwan|Koo Yun[- ]?[Cc]heol|Lee Jae[- ]?[Mm]yung|Rhee Chang-yong|"
     r"Wi Sung-lac|Yeo Han-koo|Cho Hyun|Industry Minister|Finance Minister|Trade Minister|"
     r"[Pp]olicy (?:[Dd]irector|chief|[Ss]ecretary|adviser)|[Cc]hief of [Ss]taff for [Pp]olicy|"
     r"presidential (?:office|aide|policy)|Presidential Office|Cheong Wa Dae|Blue House|"
     r"Bank of Korea|BOK|Korean government|South Korean (?:government|officials?)|"
     r"Korean officials?|Seoul|(?:South )?Korea|our government|the government|the ministry|"
     r"the central bank)\b", "KOR"),
    (r"\b(?:Akazawa|Ishiba|Takaichi|Japanese government|Tokyo|Japan)\b", "JPN"),
    (r"\b(?:von der Leyen|[SŠ]ef[cč]ovi[cč]|European Commission|Brussels|the EU|EU)\b", "EU"),
    (r"\b(?:Parmelin|Keller-Sutter|Swiss government|Bern)\b", "CHE"),
    (r"\b(?:Lai Ching-te|Cheng Li-chiun|Executive Yuan|Taiwan(?:'s|’s)? government)\b", "TWN"),
    (r"\b(?:(?:a |the )?(?:senior )?(?:government )?officials?)\b", "@partner"),
    (r"\b(?:analysts?|economists?|association|institute|institution|think tank|federation|"
     r"chamber|professor|researchers?|experts?|KITA|KAMA|FKI)\b", None),
]
SPEAKER_RX = [(re.compile(p), party) for p, party in SPEAKERS]
#: Verbs that present a figure as someone's statement, demand or offer.
SPEECH = re.compile(
    r"\b(?:said|says|say|told|stated|noted|confirmed|announced|revealed|claimed|argued|threatened|"
    r"insisted|demanded|proposed|pushed for|pushing for|wants?|wanted|sought|seeks|asked|offered|"
    r"explained|added|clarified|posted|wrote|tweeted|emphasi[sz]ed|stressed|warned|estimated|"
    r"views?|believes?|reaffirmed|reiterated|agreed to change|has unveiled|unveiled|signalled|"
    r"signaled)\b", re.I)
#: Verbs that may come before their speaker ("..., said Kim").
INVERTED = re.compile(r"said|says|added|noted|told|stated|explained|wrote")
#: A speaker known only by a pronoun or a bare surname: the last named one.
PRONOUN = re.compile(r"(?:\b(?:[Hh]e|[Ss]he|[Tt]hey)|\b[A-Z][a-z]+)\s*$")
ACCORDING = re.compile(r"\baccording to (?:the )?(?P<who>[A-Z][\w.\- ]{1,40})")
REPORTER_SOURCES = re.compile(r"\b(?:Bloomberg|Reuters|Yonhap|Nikkei|the report|reports?)\b")

SECTORS: list[tuple[str, str]] = [
    ("auto_parts", r"\b(?:auto(?:mobile)?|car|vehicle)[- ]parts\b|\bparts\b"),
    ("autos", r"\b(?:auto(?:mobile)?s?|cars?|vehicles?|automotive|automakers?)\b(?![- ]parts)"),
    ("steel", r"\bsteel\b"),
    ("aluminum", r"\balumin(?:i)?um\b"),
    ("semiconductors", r"\b(?:semiconductors?|chips?)\b"),
    ("pharmaceuticals", r"\b(?:pharma(?:ceuticals?)?|drugs|medicines)\b"),
    ("lumber", r"\b(?:lumber|timber)\b"),
]
SECTOR_RX = [(scope, re.compile(p, re.I)) for scope, p in SECTORS]
RECIPROCAL = re.compile(r"\breciprocal\b", re.I)
GENERIC_GOODS = re.compile(r"\b(?:imports|goods|products|items|exports|blanket|global|"
                           r"across-the-board)\b", re.I)
TARIFF = re.compile(r"\b(?:tariffs?|levy|levies|dut(?:y|ies)|surcharge)\b", re.I)
UP_TO = re.compile(r"\b(?:up to|cap(?:s|ped|ping)?|limits?|ceiling|no (?:more|higher) than|at most|"
                   r"not exceed|maximum)\b", re.I)

#: Cues near a USD amount -> its kind, in order of priority.
MONEY_KINDS: list[tuple[str, str]] = [
    ("shipbuilding", r"\b(?:shipbuilding|shipyards?|MASGA|Make American Shipbuilding|ships?)\b"),
    ("non_cash_total", r"\b(?:guarantees?|loans?|other instruments|credit lines?)\b"),
    ("fx_swap", r"\bswaps?\b"),
    ("fx_reserves", r"\breserves\b"),
    ("cash_total", r"\b(?:cash|direct investments?|equity|instal(?:l)?ments?|capital call|up-?front|"
                   r"lump[- ]sum)\b"),
    ("pledge_total", r"\b(?:pledge[sd]?|commitments?|committed|package|(?<!cash )(?<!direct )"
                     r"invest(?:ment|ments|ing|ed)?|(?<!Monetary )fund|funding|total|financial)\b"),
]
#: Words that make an amount the package's total, not a part of it.
STRONG_PLEDGE = re.compile(r"\b(?:pledge[sd]?|package|total|commitments?|headline|size of)\b", re.I)
MONEY_KIND_RX = [(kind, re.compile(p, re.I)) for kind, p in MONEY_KINDS]
#: Cues that a USD amount is not a deal term.
NOT_DEAL = re.compile(
    r"\b(?:trade (?:surplus|deficit|volume)|bilateral trade|surplus|deficit|exports?|"
    r"energy|LNG|oil|gas|purchases?|purchasing|buy(?:ing)?|chips|revenues?|sales|combined|"
    r"market (?:value|cap\w*)|GDP|economy|profits?|costs?|losses|(?<!in )(?<!in US )(?<!in U\.S\. )"
    r"(?<!in American )projects?|plants?|tranche|"
    r"facilit(?:y|ies)|factory|factories|securities|deposits|SDRs?|Special Drawing|gold|"
    r"production capacity|in capital|shares|stocks?|KOSPI|Hyundai|Kia|Samsung|Hanwha|LG|Toyota|SoftBank|Westinghouse|Nvidia|Apple|figure|combine)\b",
    re.I)
CHANGE_BEFORE = re.compile(
    r"(?:\b(?:down|up|fell|rose|declined?|dropped|plunged|increased?|decreased?|surged|jumped|"
    r"grew|gained|lost|shed|by|of about|slid|climbed|(?:rise|drop|decline|fall|gain|increase|"
    r"decrease|jump|loss|change) of)\b\s*(?:about|around|roughly|nearly|some|over|more than|"
    r"less than|sharply by|by)?\s*)$", re.I)
#: "the combined $750 billion": a sum over partners, not one partner's figure.
COMBINED_BEFORE = re.compile(r"\b(?:combined|joint total of|together)\b[^$\d]{0,12}$", re.I)
CHANGE_AFTER = re.compile(r"^\s*(?:from the previous|month[- ]on[- ]month|year[- ]on[- ]year|"
                          r"decline|drop|increase|rise|growth|gain|fall|of GDP|stake|share\b|"
                          r"points?|interest|on[- ]year|annual growth)", re.I)
PER_YEAR_AFTER = re.compile(r"^[\s,)]{0,3}(?:annually|a year|per year|each year|every year|per annum|"
                            r"a-year|yearly|/\s?year|annual (?:limit|cap|ceiling))\b(?!\s+(?:earlier|ago|before|prior))", re.I)
PER_YEAR_BEFORE = re.compile(
    r"\b(?:annual(?:ly)?|yearly|per[- ]year)\s+(?:investment\s+|cash\s+|payment\s+)?"
    r"(?:cap|limit|ceiling|amount|payments?|instal\w*|investments?|contributions?)s?\s+"
    r"(?:of|at|set at|is|was|to|up to)?\s*(?:about|around|roughly|up to|of)?\s*$"
    r"|\bannual(?:ly)?\b[^$\d]{0,40}\b(?:capped|cap|limit(?:ed)?|ceiling)\s+(?:at|of|to)\s*$"
    r"|\b(?:annual|yearly)\s*$", re.I)
DEAL_CONTEXT = re.compile(r"\b(?:invest\w*|pledge\w*|package|commit\w*|agreement|deal|MOU|"
                          r"(?<!Monetary )fund(?:ing)?|provide[sd]?|providing|contribut\w+)\b",
                          re.I)
#: Words that open the other portion of a package ("with the remainder for ...").
OTHER_PORTION = re.compile(r"\b(?:with )?the (?:remainder|remaining|rest)\b|,\s+while\b|;", re.I)
#: "... from Korea", "pledged by Japan" right after a figure (a bracket may sit between).
FROM_PARTNER = re.compile(r"^\s*(?:\([^()]{0,40}\)\s*)?(?:from|by)\s+(?:the\s+)?$")
#: A cue that an amount is not a deal term counts only this close to it (characters).
NOT_DEAL_REACH = 50
AVERAGE = re.compile(r"\baverag(?:e|es|ed|ing)\b", re.I)
#: Words that make a reserves figure a component (securities, gold...), not the total.
RESERVE_PARTS = re.compile(r"\b(?:securities|deposits|SDRs?|Special Drawing|gold|Treasuries|"
                           r"reserve positions?|IMF)\b", re.I)
#: Strong cues that must sit close to the figure to count.
CLOSE_ONLY = {"fx_swap": 40}
#: Words before a sector that take it out of the tariff's scope.
SCOPE_EXCEPT = re.compile(r"\b(?:apart from|except(?: for)?|excluding|other than|such as|"
                          r"not covered)\b[^.;]*", re.I)
COMPARISON = re.compile(r"\b(?:surpassing|than|like|matching|rivaling|rivalling|compared|"
                        r"similar|as)\b", re.I)
WON_CONTEXT = re.compile(r"\b(?:won|KRW)\b", re.I)
#: Words that make a two-way ratio a split of returns.
SPLIT = re.compile(r"\b(?:split|divided|shared|sharing)\b", re.I)
PROFIT = re.compile(r"\b(?:profits?|income|returns?|earnings|profit-sharing|revenues?|cash flows?)\b",
                    re.I)
RECOUP_BEFORE = re.compile(r"\b(?:until|till|before|prior to)\b[^.]{0,40}\b(?:recoup\w*|recover\w*)", re.I)
RECOUP_AFTER = re.compile(r"\bafter\b[^.]{0,60}\b(?:recoup\w*|recover\w*)|\bafter which\b", re.I)
INSTALMENT = re.compile(r"\b(?:billion|cash|instal\w*|payments?|invest\w*|pay)\b", re.I)
NOT_DURATION = re.compile(r"\b(?:lifespan|corporation|days|months|sunset|term of office)\b", re.I)
DOMESTIC_SWAP = re.compile(r"\bNational Pension|\bNPS\b")
