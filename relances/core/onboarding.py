"""The onboarding of a won client, as `relances accueil` plans it: the trade, the dates
counted from the win, the welcome pack, the client's folder name; and the shape of the
checklist (sections of tick boxes) read back from the Markdown its template writes.

The checklist itself is a Jinja template (outputs/checklist renders it and draws the
PDF); what it says about the client is computed here once, so the Markdown and the PDF
always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from relances.core.cadence import steps_for
from relances.core.model import Prospect, Rule, Status
from relances.text.parsing import ParseError, normalize

if TYPE_CHECKING:
    from relances.core.workdays import WorkCalendar


TRADES = {"btp": "BTP et artisans", "commerce": "Commerce", "services": "Services"}
_TRADE_WORDS = {
    "btp": "btp", "batiment": "btp", "artisan": "btp", "artisans": "btp", "chantier": "btp",
    "commerce": "commerce", "commerces": "commerce", "boutique": "commerce",
    "magasin": "commerce", "vente": "commerce",
    "services": "services", "service": "services", "prestation": "services",
    "prestations": "services", "conseil": "services",
}

CLIENTS_FOLDER = "clients"
SUBFOLDERS = ("contrat", "plans", "factures", "correspondance", "photos")


WELCOME_PACK_ABOVE = Decimal(10_000)
"""The workflow gives clients above this amount a welcome pack (strictly above)."""


def parse_trade(text: str) -> str:
    """The client's trade: btp, commerce or services, with a few everyday synonyms."""
    trade = _TRADE_WORDS.get(normalize(text))
    if trade is None:
        raise ParseError(f"« {text} » n'est pas un métier connu : choisissez btp, commerce "
                         "ou services")
    return trade


@dataclass(frozen=True)
class Milestone:
    """One follow-up of the Gagné cadence, dated when the day of the win is known."""

    day: int
    when: date | None
    action: str
    advice: str | None


@dataclass(frozen=True)
class Onboarding:
    """Everything the checklist says about one client, computed once, shown twice."""

    prospect: Prospect
    trade: str | None
    won_on: date | None
    """Statut depuis of a Gagné row: the day the deal was won, when the sheet has it."""
    start: date | None
    prepare: tuple[date, date] | None
    milestones: list[Milestone]
    welcome_pack: bool
    folder: str
    """Where the client's folder is made, beside the workbook, as the user reads it."""
    dated: bool = True
    """The tracker has a Statut depuis column, where a signature's date would be."""

    @property
    def won(self) -> bool:
        return self.prospect.status is Status.WON


def onboarding(prospect: Prospect, rules: Sequence[Rule], max_followups: int,
               calendar: WorkCalendar, trade: str | None, dated: bool = True) -> Onboarding:
    """The dates count from the win, like the Gagné cadence: J+N, then the next working
    day, so the checklist and the workbook's Prochaine relance agree."""
    won_on = prospect.status_since if prospect.status is Status.WON else None

    def on(days: int) -> date | None:
        return None if won_on is None else calendar.next_working_day(won_on + timedelta(days))

    start, first, last = on(1), on(2), on(7)
    steps = steps_for(Status.WON, rules)[:max_followups]
    milestones = [Milestone(s.day, on(s.day), s.action, s.advice) for s in steps]
    pack = prospect.amount is not None and prospect.amount > WELCOME_PACK_ABOVE
    folder = f"{CLIENTS_FOLDER}/{client_folder_name(prospect)}/"
    return Onboarding(prospect, trade, won_on, start,
                      (first, last) if first and last else None, milestones, pack, folder,
                      dated)


# --------------------------------------------------------------------------- folder name


_SEPARATORS = re.compile(r"[/\\|]")
_FORBIDDEN = re.compile(r'[<>:"?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in "123456789¹²³"),
             *(f"LPT{i}" for i in "123456789¹²³")}
_NAME_LIMIT = 80
"""Characters, so that clients/<name>/factures/… stays far from Windows' path limit."""


def client_folder_name(prospect: Prospect) -> str:
    """A folder name every system accepts, as close to the client's name as possible:
    accents kept (composed, as Windows and Linux write them), separators turned into
    dashes ("Dupont/Fils" gives "Dupont-Fils"), the other characters Windows forbids
    dropped, no dot or space at either end (hidden on Unix, refused by Windows), never
    a device name (CON, NUL, COM1…), and never empty."""
    text = unicodedata.normalize("NFC", prospect.name)
    text = _FORBIDDEN.sub(" ", _SEPARATORS.sub("-", text))
    text = re.sub(r"-{2,}", "-", " ".join(text.split()))
    text = text[:_NAME_LIMIT].strip(" .-")
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    if not text:
        text = f"Client {prospect.id}" if prospect.id is not None else "Client"
    return text


# --------------------------------------------------------------------------- the checklist's shape


@dataclass
class CheckItem:
    """One line to tick, with the details printed under it (without boxes)."""

    text: str
    checked: bool = False
    details: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One heading of the welcome checklist and the boxes under it."""

    title: str
    when: str
    """What follows « — » in the heading (« J+1 · 13/01/2026 »), shown on the right."""
    content: list[CheckItem | str] = field(default_factory=list)
    """Boxes, and remarks (plain strings) where the template puts them."""


@dataclass
class Checklist:
    """The rendered Markdown read back, for the PDF (and to count boxes and sections)."""

    title: str = ""
    facts: list[str] = field(default_factory=list)
    """The client's card: the bullets before the first section."""
    intro: list[tuple[str, str]] = field(default_factory=list)
    """("note" | "box", text) before the first section."""
    sections: list[Section] = field(default_factory=list)

    @property
    def boxes(self) -> int:
        return sum(isinstance(c, CheckItem) for s in self.sections for c in s.content)


_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_BOX = re.compile(r"[-*+]\s+\[([ xX])\]\s*(.*)")
_DETAIL = re.compile(r"\s{2,}[-*+]\s+(.*)")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_QUOTE = re.compile(r">\s?(.*)")


def parse_checklist(markdown: str) -> Checklist:
    """Read back the small Markdown the template writes; anything else is a remark,
    so a user's own template never fails to print."""
    doc = Checklist()
    section: Section | None = None
    item: CheckItem | None = None
    previous = ""
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            previous = ""
            continue
        if (match := _HEADING.fullmatch(line)) is not None:
            level, text = len(match[1]), match[2].strip()
            if level == 1 and not doc.title and section is None:
                doc.title = text
            else:
                title, _, when = text.partition(" — ")
                section = Section(title.strip(), when.strip())
                doc.sections.append(section)
            item = None
            kind = "heading"
        elif (match := _DETAIL.fullmatch(line)) is not None and item is not None:
            item.details.append(match[1].strip())
            kind = "detail"
        elif (match := _BOX.fullmatch(line.strip())) is not None:
            item = CheckItem(match[2].strip(), match[1] in "xX")
            if section is None:
                section = Section("", "")
                doc.sections.append(section)
            section.content.append(item)
            kind = "item"
        elif (match := _BULLET.fullmatch(line.strip())) is not None and section is None:
            doc.facts.append(match[1].strip())
            kind = "fact"
        elif (match := _QUOTE.fullmatch(line.strip())) is not None and section is None:
            if previous == "box" and doc.intro:
                doc.intro[-1] = ("box", f"{doc.intro[-1][1]} {match[1].strip()}")
            else:
                doc.intro.append(("box", match[1].strip()))
            kind = "box"
        else:
            found = _QUOTE.fullmatch(line.strip()) or _BULLET.fullmatch(line.strip())
            text = found[1].strip() if found else line.strip()
            if section is None:
                if previous == "note" and doc.intro:
                    doc.intro[-1] = ("note", f"{doc.intro[-1][1]} {text}")
                else:
                    doc.intro.append(("note", text))
            elif previous == "note" and section.content and isinstance(section.content[-1], str):
                section.content[-1] = f"{section.content[-1]} {text}"
            else:
                section.content.append(text)
            item = None
            kind = "note"
        previous = kind
    return doc
