"""The week's drafts: one .eml a prospect to write to, one call script a prospect to call.

Which template each follow-up takes (the step's Modèle, else one for the status), the
file names, the .eml bytes and the index.txt that lists them; the templates run in the
environment of outputs/templates, with what outputs/context gives them. Everything is
rendered before the first file is written: a broken template never leaves half a week
of drafts behind. Nothing here writes: the service puts the files on disk. The email
package is imported inside the functions that need it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core import schema
from relances.core.cadence import DECISION, Step, next_step
from relances.core.contacts import speaking_to
from relances.core.countries import timezone_of
from relances.core.errors import InvalidInput
from relances.core.model import Contact, Prospect, Rule, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.outputs.context import NAMES, addressee, template_context
from relances.outputs.templates import (
    README_NAME,
    environment,
    located,
    render_template,
    roots,
    shown,
)
from relances.text.show import format_date

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


PLACEHOLDER = "[À COMPLÉTER"
"""Built-in templates mark what only the user can write (a tip, a new offer) this way."""

EMAIL = "Email"
CALL = "Tel"

_EMAIL_FALLBACK: dict[Status, tuple[str, str]] = {
    # (first follow-up of the status, later ones)
    Status.PROSPECT: ("prospect-merci", "prospect-valeur"),
    Status.QUOTE_SENT: ("devis-consulte", "devis-ajustement"),
    Status.NEGOTIATION: ("negociation-point", "negociation-point"),
    Status.WON: ("gagne-satisfaction", "gagne-annuelle"),
    Status.LOST: ("perdu-reactivation", "perdu-saisonniere"),
}
_CALL_FALLBACK: dict[Status, str] = {
    Status.PROSPECT: "prospect-appel",
    Status.QUOTE_SENT: "devis-appel",
    Status.NEGOTIATION: "negociation-point",
    Status.WON: "satisfaction",
}
_GENERIC_CALL = "relance"

_TEMPLATE_NAME = re.compile(r"[\w-]+")
_SUBJECT_LINE = re.compile(r"(?:objet|sujet|subject)\s*:[ \t]*(.*)", re.IGNORECASE)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Draft:
    """One rendered file, ready to write: an email (.eml bytes) or a call script."""

    prospect: Prospect
    kind: str
    """EMAIL or CALL."""
    filename: str
    template: str
    """"emails/devis-consulte.txt", as found in the user's folder or the built-ins."""
    data: bytes
    step: Step | None
    subject: str | None = None
    to_complete: bool = False
    """The text still holds a « [À COMPLÉTER … ] » the user must fill in before sending."""
    custom: bool = False
    """The template came from the user's folder, not the built-ins."""


@dataclass(frozen=True)
class Skipped:
    """A follow-up of the period with no draft, and why (no address, a template error…)."""

    prospect: Prospect
    reason: str


@dataclass
class Prepared:
    """The period's drafts, all rendered, and the prospects left out with why."""

    start: date
    end: date
    drafts: list[Draft]
    skipped: list[Skipped]
    templates: Path | None
    """The user's folder of templates, when there is one."""


# --------------------------------------------------------------------------- selection


def due(prospects: Sequence[Prospect], today: date, days: int) -> list[Prospect]:
    """Every follow-up planned up to the end of the period, the overdue ones included,
    won and lost clients too (satisfaction, reactivation): soonest first."""
    end = today + timedelta(days=days)
    chosen = [p for p in prospects if p.is_overdue(today) or p.is_due(today, end)]
    return sorted(chosen, key=lambda p: (p.next_followup, p.id or 0, p.name))


def prepare(prospects: Sequence[Prospect], rules: Sequence[Rule], settings: Settings,
            today: date, days: int, templates: Path | None,
            contacts: Sequence[Contact] = ()) -> Prepared:
    """Render every draft of the period, or fail before anything is written. An email goes
    to the client's principal contact, else its decision maker, else Suivi's Contact."""
    _check_sender(settings)
    env = environment(templates)
    # Only the step's number and template matter here, not its date: no holiday look-up.
    calendar = WorkCalendar(settings.country, working_days_only=False)
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    used: set[str] = set()
    for prospect in due(prospects, today, days):
        step = next_step(prospect, rules, settings, calendar)
        action = _action(prospect, step)
        addressed = speaking_to(prospect, contacts)
        reason = _reason_to_skip(addressed, step, action)
        if reason is not None:
            skipped.append(Skipped(prospect, reason))
            continue
        kind = EMAIL if action == EMAIL else CALL
        name = choose_template(prospect, step, kind, templates)
        context = template_context(prospect, step, settings, today, contacts)
        text = render(env, name, context, templates)
        filename = _unique(draft_stem(prospect) + ("-appel" if kind == CALL else ""), used)
        custom = templates is not None and (templates / name).is_file()
        if kind == CALL:
            drafts.append(Draft(prospect, kind, filename + ".txt", name,
                                text.encode("utf-8"), step, None, PLACEHOLDER in text, custom))
            continue
        subject, body = split_subject(text, name, templates)
        try:
            data = eml_bytes(subject, body, addressed, settings, today)
        except ValueError:
            skipped.append(Skipped(prospect, f"l'adresse « {addressed.email} » n'est pas "
                                   "utilisable dans un email : corrigez la colonne Contact"))
            continue
        drafts.append(Draft(prospect, kind, filename + ".eml", name, data, step, subject,
                            PLACEHOLDER in body, custom))
    return Prepared(today, today + timedelta(days=days), drafts, skipped, templates)


def _check_sender(settings: Settings) -> None:
    """A bad sender would spoil every draft: say so once, rather than skip them all."""
    from email.errors import MessageError

    if not settings.sender_email:
        return
    try:
        _address(settings.sender_name, settings.sender_email)
    except (ValueError, MessageError):
        raise InvalidInput(
            f"Paramètres : l'« Email de l'expéditeur » « {settings.sender_email} » n'est pas "
            "une adresse utilisable dans un email : corrigez-la (ex. contact@entreprise.fr) "
            "ou videz la cellule.") from None


def _action(prospect: Prospect, step: Step | None) -> str:
    """The planned action of the row; an empty cell (or no column) takes the cadence's."""
    if prospect.action:
        return schema.parse_action(prospect.action)
    return step.action if step is not None and not step.decision else EMAIL


def _reason_to_skip(prospect: Prospect, step: Step | None, action: str) -> str | None:
    if prospect.action == DECISION or (step is not None and step.decision):
        return (f"relances épuisées (« {DECISION} ») : classez-le Perdu, ou écrivez "
                "vous-même une dernière relance personnelle")
    if action == EMAIL:
        return None if prospect.email else \
            "pas d'adresse email dans le suivi : ajoutez-la dans la colonne Contact"
    if action == CALL:
        return None if prospect.phone else \
            "pas de numéro de téléphone dans le suivi : ajoutez-le dans la colonne Contact"
    return f"action prévue « {action} » : ni email ni appel à préparer"


def choose_template(prospect: Prospect, step: Step | None, kind: str,
                    templates: Path | None) -> str:
    """The step's Modèle (Règles) when such a template exists, else one for the status."""
    folder = "emails" if kind == EMAIL else "appels"
    wanted = (step.template or "").strip().removesuffix(".txt") if step is not None else ""
    if wanted and _TEMPLATE_NAME.fullmatch(wanted):
        name = f"{folder}/{wanted}.txt"
        if any((root / name).is_file() for root in roots(templates)):
            return name
    status = prospect.status or Status.PROSPECT
    if kind == EMAIL:
        first, later = _EMAIL_FALLBACK[status]
        return f"emails/{first if not prospect.followups_done else later}.txt"
    return f"appels/{_CALL_FALLBACK.get(status, _GENERIC_CALL)}.txt"


# --------------------------------------------------------------------------- names


def week_folder(today: date) -> str:
    """emails-semaine-04: the ISO week, as French calendars number weeks."""
    return f"emails-semaine-{today.isocalendar().week:02d}"


_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slug(name: str, limit: int = 50) -> str:
    """Ascii, lower case, dashes: safe on every system whatever the prospect is called
    (slashes, "..", accents, dots, characters Windows forbids)."""
    text = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:limit].rstrip("-") or "prospect"
    return f"{text}-prospect" if text in _RESERVED else text


def draft_stem(prospect: Prospect) -> str:
    """"1-martin-menuiserie": the ID first, so the folder sorts like the tracker."""
    return f"{prospect.id}-{slug(prospect.name)}" if prospect.id is not None \
        else slug(prospect.name)


def _unique(stem: str, used: set[str]) -> str:
    """Two rows without ID may share a name: the second gets -2, and so on."""
    candidate, number = stem, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}"
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------- rendering


def render(env: SandboxedEnvironment, name: str, context: dict[str, Any],
           templates: Path | None) -> str:
    """The text of one template for one prospect; a mistake in it is an InvalidInput."""
    return _tidy(render_template(env, name, context, templates, NAMES, README_NAME))


def _tidy(text: str) -> str:
    """Optional parts left empty must not leave holes: at most one blank line in a row."""
    # "-- " keeps its space: it is the signature separator mail programs recognise.
    lines = [line if line == "-- " else line.rstrip()
             for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def split_subject(text: str, name: str, templates: Path | None) -> tuple[str, str]:
    """An email template starts with « Objet : … »; the body follows."""
    first, _, rest = text.partition("\n")
    match = _SUBJECT_LINE.fullmatch(first.strip())
    if match is None:
        raise InvalidInput(
            f"Le modèle {shown(located(name, templates))} doit commencer par la ligne "
            "« Objet : … » (l'objet de l'email), suivie d'une ligne vide puis du texte.")
    return " ".join(match[1].split()), rest.strip("\n") + "\n"


# --------------------------------------------------------------------------- .eml


def eml_bytes(subject: str, body: str, prospect: Prospect, settings: Settings,
              today: date) -> bytes:
    """An RFC 5322 draft: Outlook opens it as a draft (X-Unsent), Thunderbird and Apple
    Mail open it too. Raises ValueError when an address cannot be written."""
    from email.errors import MessageError
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    message = EmailMessage(policy=SMTP)
    try:
        if settings.sender_email:
            message["From"] = _address(settings.sender_name or settings.company,
                                       settings.sender_email)
        message["To"] = _address(addressee(prospect) or None, prospect.email or "")
        message["Subject"] = subject
        message["Date"] = format_datetime(_sent_at(today, settings))
        message["X-Unsent"] = "1"
        message.set_content(body)
        return message.as_bytes()
    except MessageError as error:  # HeaderParseError is not a ValueError
        raise ValueError(str(error)) from None


def _address(name: str | None, email: str) -> Any:
    """An accented domain is written in its ASCII (IDNA) form, which every server reads;
    an accented local part is refused by the email package (ValueError)."""
    from email.headerregistry import Address

    local, at, domain = email.strip().rpartition("@")
    if at and not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"domaine illisible : {domain}") from None
    return Address(display_name=" ".join((name or "").split()),
                   addr_spec=f"{local}@{domain}" if at else email.strip())


def _sent_at(today: date, settings: Settings) -> datetime:
    """Today at the agenda time of Paramètres, in the country's time zone (the machine's
    own offset when the time-zone database is missing, as on a bare Windows)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    moment = datetime.combine(today, settings.agenda_time)
    try:
        return moment.replace(tzinfo=ZoneInfo(timezone_of(settings.country)))
    except (ZoneInfoNotFoundError, ValueError):
        return moment.astimezone()


# --------------------------------------------------------------------------- index.txt


def step_label(step: Step | None) -> str:
    return f"relance {step.number}/{step.total}" if step is not None else "hors cadence"


def index_text(prepared: Prepared, kept_drafts: Collection[Draft], book: str) -> str:
    """What the folder holds and what was left out (the drafts already there, kept, say
    so), to read before sending."""
    kept = {id(d) for d in kept_drafts}
    week = prepared.start.isocalendar().week
    lines = [f"Relances du {format_date(prepared.start)} au {format_date(prepared.end)} "
             f"(semaine {week}), en retard comprises — {book}", ""]

    def describe(draft: Draft) -> str:
        p = draft.prospect
        late = " (en retard)" if p.is_overdue(prepared.start) else ""
        notes = [f"modèle {draft.template}" + (" (personnel)" if draft.custom else "")]
        if draft.to_complete:
            notes.append("à compléter avant envoi")
        if id(draft) in kept:
            notes.append("déjà présent, conservé")
        status = (p.status or Status.PROSPECT).value
        return (f"  {draft.filename} — {p.name} : {status}, {step_label(draft.step)}, "
                f"prévue le {format_date(p.next_followup)}{late} ; {', '.join(notes)}")

    for kind, title in ((EMAIL, "Emails à relire puis envoyer (ouvrez le .eml : il s'ouvre "
                                "en brouillon)"),
                        (CALL, "Appels à passer (lisez le script avant d'appeler)")):
        chosen = [d for d in prepared.drafts if d.kind == kind]
        lines.append(f"{title} : {len(chosen)}")
        lines.extend(describe(d) for d in chosen)
        lines.append("")
    lines.append(f"Non préparés : {len(prepared.skipped)}")
    for skipped in prepared.skipped:
        p = skipped.prospect
        ident = f" (ID {p.id})" if p.id is not None else ""
        lines.append(f"  {p.name}{ident}, prévue le {format_date(p.next_followup)} : "
                     f"{skipped.reason}")
    if prepared.templates is not None:
        lines += ["", f"Modèles personnels : {prepared.templates}"]
    return "\n".join(lines).rstrip() + "\n"
