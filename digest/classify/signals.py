"""Things in documentation text that matter to a developer and that a pattern can find: dates, Azure
regions, role names, numbers with their units. The rubric rules and the fact ranking both use them."""

from __future__ import annotations

import re

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DATE = re.compile(
    rf"\b(?:(?:{MONTHS}|{MONTH_ABBREVIATIONS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+20\d\d"
    rf"|\d{{1,2}}\s+(?:{MONTHS})\s+20\d\d"
    rf"|(?:{MONTHS})\s+20\d\d"
    r"|20\d\d-\d\d-\d\d(?!-preview)(?![\w-])"
    r"|\d{1,2}/\d{1,2}/20\d\d)\b"
)
GEOGRAPHY = (
    "US|US Gov|Europe|Asia|Asia Pacific|India|Japan|Australia|Canada|France|Germany|UK|Brazil|Korea|Africa|South Africa"
    "|Switzerland|Norway|Sweden|UAE|Italy|Poland|Spain|Mexico|Taiwan|Israel|Qatar|Chile|Indonesia|Malaysia|New Zealand"
    "|Austria|Belgium|Denmark|Greece|Finland|Saudi Arabia|China|Arizona|Virginia|Texas"
)
DIRECTION = "East|West|North|South|Central|North Central|South Central|West Central|Southeast|Northeast|Southwest|Northwest"
REGION = re.compile(
    rf"\b(?:(?:{DIRECTION})\s+(?:{GEOGRAPHY})(?:\s?\d)?|(?:{GEOGRAPHY})\s+(?:{DIRECTION})(?:\s?\d)?)\b"
    r"|\b(?:(?:east|west|north|south|central|northcentral|southcentral|westcentral|southeast)"
    r"(?:us|europe|asia|india|japan|australia|canada|france|germany|uk|brazil|korea|africa|switzerland|norway|sweden|uae|italy)\d?"
    r"|(?:us|europe|asia|india|japan|australia|canada|france|germany|uk|brazil|korea|southafrica|switzerland|norway|sweden|uae"
    r"|italy|poland|spain|mexico|taiwan|israel|qatar|newzealand)(?:east|west|north|south|central)\d?)\b"
)
# a role as documentation names it: "Cognitive Services OpenAI Contributor", "Search Index Data Reader", "Owner"
ROLE = re.compile(
    r"\b(?:[A-Z][\w-]*\s+){0,5}(?:Contributor|Owner|Reader|Administrator|Approver|Operator|Developer)\b(?=\s+(?:role|and|or|,)|\s*$|[.,)])"
)


def dates_in(text: str) -> list[str]:
    # every form of DATE holds a year 20xx: a text without "20" holds none (cheaper than looking for a digit)
    return [" ".join(m.group(0).split()) for m in DATE.finditer(text)] if "20" in text else []


# every region REGION names holds one of these words (in either case): a text without one names no region
REGION_WORDS = ("east", "west", "north", "south", "central")


def regions_in(text: str) -> list[str]:
    text = text.replace("\u200b", "")
    lowered = text.lower()
    if not any(word in lowered for word in REGION_WORDS):
        return []
    return [" ".join(m.group(0).split()) for m in REGION.finditer(text)]
