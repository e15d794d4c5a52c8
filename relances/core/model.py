"""The domain: prospects, statuses, rules and settings. Pure data, no I/O."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

from relances.text.show import SCORE_MAX

_CENT = Decimal("0.01")


@functools.lru_cache(maxsize=1024)
def _decimal(probability: float) -> Decimal:
    """0.3 as Decimal("0.3"), not the binary fraction Decimal(0.3): a tracker has a few
    probabilities, each converted once for its thousands of weighted amounts."""
    return Decimal(str(probability))


CALL_BACK_SCORE = 2
"""A client whose satisfaction score is this or less is one to call back."""


class Status(StrEnum):
    """The five statuses of the workflow; the value is what the cell shows."""

    PROSPECT = "Prospect"
    QUOTE_SENT = "Devis envoyé"
    NEGOTIATION = "Négociation"
    WON = "Gagné"
    LOST = "Perdu"

    @property
    def active(self) -> bool:
        """Won and lost deals leave the pipeline; everything else needs follow-ups."""
        return self not in _CLOSED


_CLOSED = frozenset({Status.WON, Status.LOST})
"""Looked up once: naming enum members inside `active` made listing 10 000 rows slow."""
_QUOTED = frozenset({Status.QUOTE_SENT, Status.NEGOTIATION})
"""The statuses where a quote is on the table."""


ACTIONS = ("Email", "Tel", "RDV", "Devis", "Visite")
"""The planned actions offered in the drop-down; free text stays allowed."""


@dataclass(slots=True)
class Prospect:
    """One row of Suivi, as read or about to be written.

    `row` is the sheet row it came from (None before it is written); every other
    field is None when the cell is empty or the column is absent. Slots keep 50 000 of
    them small enough for the processor's cache: listing them is a third faster.
    """

    name: str
    id: int | None = None
    row: int | None = None
    email: str | None = None
    phone: str | None = None
    status: Status | None = None
    source: str | None = None
    project: str | None = None
    amount: Decimal | None = None
    probability: float | None = None
    first_contact: date | None = None
    last_contact: date | None = None
    next_followup: date | None = None
    action: str | None = None
    history: str | None = None
    notes: str | None = None
    owner: str | None = None
    interlocutor: str | None = None
    status_since: date | None = None
    followups_done: int | None = None
    alert: str | None = None
    lost_reason: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    """The address, when the tracker has its columns (Adresse, Code postal, Ville, Pays)."""
    quote_valid_until: date | None = None
    """The quote's last valid day (Validité devis): a follow-up never waits past it."""
    satisfaction: int | None = None
    """The client's last satisfaction score, 1 to 5 (Satisfaction)."""
    unreadable: frozenset[str] = frozenset()
    """Fields whose cell holds something that does not read (« 31/02/2026 » in a date
    column): read as empty, and never overwritten unless the user asks."""

    @property
    def active(self) -> bool:
        """A row without a status is still a lead to follow up, not a closed deal."""
        return self.status is None or self.status.active

    @property
    def weighted_amount(self) -> Decimal:
        """What the deal is worth today: amount times its chance of closing."""
        if self.amount is None or self.probability is None:
            return Decimal(0)
        return (self.amount * _decimal(self.probability)).quantize(_CENT)

    def is_hot(self, settings: Settings) -> bool:
        """Likely to close: shown in green in the workbook and worked first in the week."""
        return self.probability is not None and self.probability >= settings.hot_probability

    @property
    def unhappy(self) -> bool:
        """A won client whose last score says something went wrong: one to call back."""
        return (self.status is Status.WON and self.satisfaction is not None
                and self.satisfaction <= CALL_BACK_SCORE)

    def is_overdue(self, today: date) -> bool:
        """A planned follow-up whose day has passed: late in every command (semaine,
        liste, emails, agenda, analyse)."""
        return self.next_followup is not None and self.next_followup < today

    def is_due(self, today: date, end: date) -> bool:
        """A follow-up planned from today to `end`, both included: the period's work."""
        return self.next_followup is not None and today <= self.next_followup <= end

    def days_without_contact(self, today: date) -> int | None:
        """Staleness counts from the last contact, the same as the Délai column."""
        return None if self.last_contact is None else (today - self.last_contact).days

    def is_stale(self, today: date, settings: Settings) -> bool:
        """An active deal left without contact longer than its status allows: the red row
        of the workbook, of `liste` and `semaine`, and the pipeline's « sans nouvelles »."""
        days = self.days_without_contact(today)
        return self.active and days is not None and days > settings.stale_after(self.status)

    def quote_expires(self, today: date) -> bool:
        """A quote still open and still valid: the week warns before its last day."""
        return (self.quote_valid_until is not None and self.quote_valid_until >= today
                and self.status in _QUOTED)

    def replace(self, **changes: object) -> Prospect:
        """Prospects are updated by copy so a failed command leaves nothing half-changed."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Problem:
    """One thing in the workbook that could not be read, located for the user."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne {self.column}")
        return f"{', '.join(where)} : {self.message}"


@dataclass(frozen=True)
class Notice(Problem):
    """Something read otherwise than the sheet says, said once, that is no mistake to
    fix (verifier does not count it)."""


class Outcome(StrEnum):
    """How a follow-up ended, as the user says it after a call or an email."""

    UNREACHABLE = "injoignable"
    INTERESTED = "interesse"
    MEETING = "rdv"
    QUOTE = "devis"
    WON = "gagne"
    LOST = "perdu"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.UNREACHABLE: "injoignable",
    Outcome.INTERESTED: "intéressé",
    Outcome.MEETING: "rendez-vous",
    Outcome.QUOTE: "devis envoyé",
    Outcome.WON: "gagné",
    Outcome.LOST: "perdu",
}


@dataclass(frozen=True)
class Event:
    """One interaction as `maj` records it, every value already read."""

    when: date
    channel: str | None = None
    summary: str | None = None
    outcome: Outcome | None = None
    status: Status | None = None
    probability: float | None = None
    next_date: date | None = None
    action: str | None = None
    alert: str | None = None
    """None leaves the alert as it is; "" clears it."""
    lost_reason: str | None = None
    note: str | None = None
    satisfaction: int | None = None
    """The score the client gave, 1 to 5 (a satisfaction call)."""

    @property
    def issue(self) -> str | None:
        """How the exchange ended, as the Journal's Issue column and Historique say it:
        « intéressé », « satisfaction 4/5 », or both."""
        parts = [self.outcome.label] if self.outcome else []
        if self.satisfaction is not None:
            parts.append(f"satisfaction {self.satisfaction}/{SCORE_MAX}")
        return ", ".join(parts) or None


@dataclass(frozen=True)
class Rule:
    """One step of the cadence, as a row of the Règles sheet."""

    status: Status
    day: int
    from_last_contact: bool
    action: str
    template: str | None = None
    advice: str | None = None


@dataclass
class Settings:
    """The Paramètres sheet, with the workflow's defaults."""

    stale_days: dict[Status, int] = field(
        default_factory=lambda: {
            Status.PROSPECT: 14,
            Status.QUOTE_SENT: 10,
            Status.NEGOTIATION: 7,
        }
    )
    """Days without contact after which an active deal turns red, per status: a sent quote
    cools faster than a first lead, a negotiation faster still."""
    dormant_days: int = 30
    zombie_days: int = 60
    zombie_probability: float = 0.30
    auto_lost_days: int = 90
    hot_probability: float = 0.70
    max_followups: int = 4
    retry_days: int = 2
    abandon_days: int = 5
    """Working days a follow-up may be late, with no exchange since, before it counts as
    abandoned (the club's dashboard)."""
    default_probability: dict[Status, float] = field(
        default_factory=lambda: {
            Status.PROSPECT: 0.10,
            Status.QUOTE_SENT: 0.30,
            Status.NEGOTIATION: 0.50,
            Status.WON: 1.0,
            Status.LOST: 0.0,
        }
    )
    working_days_only: bool = True
    country: str = "FR"
    agenda_time: time = time(9, 0)
    sector_rate_low: float = 0.15
    sector_rate_high: float = 0.25
    sender_name: str | None = None
    company: str | None = None
    sender_email: str | None = None
    sender_phone: str | None = None
    signature: str | None = None
    backups_kept: int = 20

    def stale_after(self, status: Status | None) -> int:
        """A row without a status is a lead, so it gets the Prospect threshold."""
        return self.stale_days.get(status or Status.PROSPECT, self.stale_days[Status.PROSPECT])


@dataclass(frozen=True)
class Contact:
    """One person at a client, one row of the Contacts sheet."""

    client: int | str
    """The client's ID, or its name in a tracker without IDs."""
    name: str
    civility: str | None = None
    position: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    role: str | None = None
    """Décideur, Technique, Facturation or Observateur (schema.ROLES)."""
    principal: bool = False
    """The one drafts are written to and calls ask for."""
    notes: str | None = None
    row: int | None = None

    def replace(self, **changes: object) -> Contact:
        return dataclasses.replace(self, **changes)


@dataclass
class Tracker:
    """Everything read from a workbook: prospects that read cleanly and the problems."""

    prospects: list[Prospect]
    problems: list[Problem]
    settings: Settings
    columns: tuple[str, ...]
    """The fields the Suivi sheet has a column for, in sheet order."""
    journal: list[JournalEntry] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    """The Contacts sheet, when the tracker has one."""


@dataclass(frozen=True)
class JournalEntry:
    """One interaction, one row of the Journal sheet."""

    when: date
    prospect_id: int | None
    name: str
    channel: str | None = None
    summary: str | None = None
    outcome: str | None = None
    status: Status | None = None
    probability: float | None = None
    owner: str | None = None
    next_followup: date | None = None
    """The follow-up this exchange planned: a Journal line with one created a follow-up."""
