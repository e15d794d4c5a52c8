"""The week's drafts: one .eml a prospect to write to, one call script a prospect to call.

Templates are Jinja text files: the built-in ones under relances/templates/ (emails/,
appels/), each of which a `modeles/` folder next to the workbook may override file by
file. They are the user's own text, so they run sandboxed, every name they use must
exist (StrictUndefined), and any mistake becomes one French sentence naming the file,
the line and the culprit. Everything is rendered before the first file is written: a
broken template never leaves half a week of drafts behind. Nothing here touches the
workbook, and a draft already on disk is kept (the user may have edited it) unless the
caller asks to replace it. jinja2 and the email package are imported inside the
functions that need them, so that no other command pays for them.
"""

from __future__ import annotations

import os
import re
import shutil
import traceback
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core import schema
from relances.core.cadence import DECISION, Step, next_step
from relances.core.errors import InvalidInput
from relances.core.model import Prospect, Rule, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.text.show import format_amount, format_date, format_day_month

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

BUILTIN = Path(__file__).parent / "templates"
"""The templates shipped in the wheel (package data)."""
USER_FOLDER = "modeles"
"""The folder next to the workbook whose files replace the built-in ones."""
KINDS = ("emails", "appels")
README_NAME = "LISEZMOI.txt"
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
}
_GENERIC_CALL = "relance"

_TEMPLATE_NAME = re.compile(r"[\w-]+")
_SUBJECT_LINE = re.compile(r"(?:objet|sujet|subject)\s*:[ \t]*(.*)", re.IGNORECASE)

NAMES: dict[str, str] = {
    "bonjour": "« Bonjour Monsieur Martin, » (« Bonjour, » sans interlocuteur)",
    "civilite": "« Monsieur Martin », « Madame Leroy » (vide sans interlocuteur)",
    "interlocuteur": "la colonne Interlocuteur telle qu'écrite : « M. Martin »",
    "client": "le nom du client ou du prospect",
    "projet": "la colonne Projet",
    "montant": "« 8 500 € » (vide sans montant)",
    "statut": "« Devis envoyé »…",
    "statut_depuis": "début du statut : « 10 janvier »",
    "date_devis": "date d'envoi du devis, pour un Devis envoyé : « 10 janvier »",
    "premier_contact": "« 5 janvier »",
    "dernier_contact": "« 10 janvier »",
    "depuis_dernier_contact": "« il y a 10 jours », « hier », « aujourd'hui »",
    "jours_sans_contact": "le nombre de jours depuis le dernier contact (10)",
    "prochaine_relance": "date prévue de la relance : « 13 janvier »",
    "en_retard": "vrai quand la relance prévue est passée",
    "historique": "les lignes de l'Historique, la plus récente d'abord (une liste)",
    "dernier_echange": "la première ligne de l'Historique",
    "notes": "la colonne Notes",
    "alerte": "la colonne Alerte (« concurrence »)",
    "source": "la colonne Source",
    "responsable": "la colonne Responsable",
    "email": "l'email du client",
    "telephone": "le téléphone du client",
    "relance": "le numéro de l'étape de la cadence (1, 2…)",
    "relances": "le nombre d'étapes du statut (4)",
    "conseil": "le conseil de l'étape (feuille Règles)",
    "expediteur": "Nom de l'expéditeur (Paramètres)",
    "entreprise": "Entreprise (Paramètres)",
    "email_expediteur": "Email de l'expéditeur (Paramètres)",
    "telephone_expediteur": "Téléphone de l'expéditeur (Paramètres)",
    "signature": "Signature (Paramètres ; sinon nom, entreprise et téléphone)",
    "maj": "la commande à lancer après l'échange : « relances maj 1 »",
    "aujourdhui": "« 20 janvier »",
}
"""Every name a template may use, with what it holds: LISEZMOI.txt says the same."""


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


@dataclass
class Written:
    """What a run left in the drafts folder: new files, files kept, files replaced."""

    folder: Path
    written: list[Draft] = field(default_factory=list)
    kept: list[Draft] = field(default_factory=list)
    replaced: list[Draft] = field(default_factory=list)


# --------------------------------------------------------------------------- where


def week_folder(today: date) -> str:
    """emails-semaine-04: the ISO week, as French calendars number weeks."""
    return f"emails-semaine-{today.isocalendar().week:02d}"


def output_folder(book: Path, today: date, option: str | None) -> Path:
    """Beside the workbook by default; --sortie names the folder itself."""
    if option is None:
        return book.parent / week_folder(today)
    folder = Path(option).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"--sortie : « {option} » est un fichier, pas un dossier : "
                           "donnez le dossier où écrire les brouillons.")
    return folder


def user_templates(book: Path, option: str | None) -> Path | None:
    """--modeles if given (it must exist), else a modeles/ folder next to the workbook."""
    if option is not None:
        folder = Path(option).expanduser()
        if not folder.is_dir():
            raise InvalidInput(
                f"--modeles : le dossier « {option} » n'existe pas : créez-le avec "
                f"relances modeles --modeles \"{option}\", puis modifiez ses fichiers.")
        return folder
    folder = book.parent / USER_FOLDER
    return folder if folder.is_dir() else None


def templates_folder(book: Path, option: str | None) -> Path:
    """Where `relances modeles` copies the built-in templates."""
    return Path(option).expanduser() if option is not None else book.parent / USER_FOLDER


def builtin_templates() -> list[str]:
    """Every built-in file, as a relative path with forward slashes: emails/x.txt…"""
    return sorted(path.relative_to(BUILTIN).as_posix() for path in BUILTIN.rglob("*.txt"))


def copy_builtins(folder: Path) -> tuple[list[str], list[str]]:
    """Copy the built-in templates into the user's folder, never over a file there:
    (copied, kept)."""
    copied: list[str] = []
    kept: list[str] = []
    try:
        for name in builtin_templates():
            target = folder / name
            if target.exists():
                kept.append(name)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(BUILTIN / name, target)
            copied.append(name)
    except OSError:
        raise InvalidInput(f"Impossible d'écrire dans « {folder} » : vérifiez que le dossier "
                           "est accessible en écriture, ou choisissez-en un autre avec "
                           "--modeles.") from None
    return copied, kept


# --------------------------------------------------------------------------- selection


def due(prospects: Sequence[Prospect], today: date, days: int) -> list[Prospect]:
    """Every follow-up planned up to the end of the period, the overdue ones included,
    won and lost clients too (satisfaction, reactivation): soonest first."""
    end = today + timedelta(days=days)
    chosen = [p for p in prospects if p.next_followup is not None and p.next_followup <= end]
    return sorted(chosen, key=lambda p: (p.next_followup, p.id or 0, p.name))


def prepare(prospects: Sequence[Prospect], rules: Sequence[Rule], settings: Settings,
            today: date, days: int, templates: Path | None) -> Prepared:
    """Render every draft of the period, or fail before anything is written."""
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
        reason = _reason_to_skip(prospect, step, action)
        if reason is not None:
            skipped.append(Skipped(prospect, reason))
            continue
        kind = EMAIL if action == EMAIL else CALL
        name = choose_template(prospect, step, kind, templates)
        context = template_context(prospect, step, settings, today)
        text = render(env, name, context, templates)
        filename = _unique(draft_stem(prospect) + ("-appel" if kind == CALL else ""), used)
        custom = templates is not None and (templates / name).is_file()
        if kind == CALL:
            drafts.append(Draft(prospect, kind, filename + ".txt", name,
                                text.encode("utf-8"), step, None, PLACEHOLDER in text, custom))
            continue
        subject, body = split_subject(text, name, templates)
        try:
            data = eml_bytes(subject, body, prospect, settings, today)
        except ValueError:
            skipped.append(Skipped(prospect, f"l'adresse « {prospect.email} » n'est pas "
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
        if any((root / name).is_file() for root in _roots(templates)):
            return name
    status = prospect.status or Status.PROSPECT
    if kind == EMAIL:
        first, later = _EMAIL_FALLBACK[status]
        return f"emails/{first if not prospect.followups_done else later}.txt"
    return f"appels/{_CALL_FALLBACK.get(status, _GENERIC_CALL)}.txt"


def _roots(templates: Path | None) -> list[Path]:
    return [templates, BUILTIN] if templates is not None else [BUILTIN]


# --------------------------------------------------------------------------- names


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


# --------------------------------------------------------------------------- context


_TITLES = {
    "m": "Monsieur", "mr": "Monsieur", "monsieur": "Monsieur",
    "mme": "Madame", "mmes": "Mesdames", "madame": "Madame", "mlle": "Madame",
    "mademoiselle": "Madame", "mm": "Messieurs", "messieurs": "Messieurs",
    "dr": "Docteur", "docteur": "Docteur", "me": "Maître", "maitre": "Maître",
}


def _title(word: str) -> str | None:
    key = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return _TITLES.get(key.rstrip("."))


def civility(interlocutor: str | None) -> str:
    """"M. Martin" → "Monsieur Martin", "Mme Leroy" → "Madame Leroy", "M. et Mme Durand" →
    "Monsieur et Madame Durand"; a name without a title is kept as typed."""
    words = (interlocutor or "").split()
    if not words:
        return ""
    if _title(words[0]) is None:
        return " ".join(words)
    return " ".join(_title(w) or w for w in words)


def _addressee(prospect: Prospect) -> str:
    """The Interlocuteur column; else the name itself when it is a person's ("Mme Bernard")."""
    if prospect.interlocutor and prospect.interlocutor.strip():
        return prospect.interlocutor
    words = prospect.name.split()
    return prospect.name if words and _title(words[0]) else ""


def _day(value: date | None, today: date) -> str:
    """"10 janvier", with the year when it is not this year's: "15 décembre 2025"."""
    if value is None:
        return ""
    text = format_day_month(value)
    return text if value.year == today.year else f"{text} {value.year}"


def _ago(days: int | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return "aujourd'hui"
    return "hier" if days == 1 else f"il y a {days} jours"


def signature(settings: Settings) -> str:
    if settings.signature and settings.signature.strip():
        return settings.signature.strip()
    parts = (settings.sender_name, settings.company, settings.sender_phone)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def template_context(prospect: Prospect, step: Step | None, settings: Settings,
                     today: date) -> dict[str, Any]:
    """What a template may use: French names, text already formatted the French way, ""
    for what the workbook does not say (so `{% if projet %}` reads naturally)."""
    p = prospect
    addressee = _addressee(p)
    title = civility(addressee)
    status = p.status or Status.PROSPECT
    days = p.days_without_contact(today)
    history = [line.strip() for line in (p.history or "").splitlines() if line.strip()]
    who = str(p.id) if p.id is not None else f'"{p.name}"'
    context: dict[str, Any] = {
        "bonjour": f"Bonjour {title}," if title else "Bonjour,",
        "civilite": title,
        "interlocuteur": " ".join(addressee.split()),
        "client": p.name,
        "projet": " ".join((p.project or "").split()),
        "montant": format_amount(p.amount) if p.amount is not None else "",
        "statut": status.value,
        "statut_depuis": _day(p.status_since, today),
        "date_devis": _day(p.status_since, today) if status is Status.QUOTE_SENT else "",
        "premier_contact": _day(p.first_contact, today),
        "dernier_contact": _day(p.last_contact, today),
        "depuis_dernier_contact": _ago(days),
        "jours_sans_contact": days if days is not None else "",
        "prochaine_relance": _day(p.next_followup, today),
        "en_retard": p.next_followup is not None and p.next_followup < today,
        "historique": history,
        "dernier_echange": history[0] if history else "",
        "notes": p.notes or "",
        "alerte": p.alert or "",
        "source": p.source or "",
        "responsable": p.owner or "",
        "email": p.email or "",
        "telephone": p.phone or "",
        "relance": step.number if step is not None else (p.followups_done or 0) + 1,
        "relances": step.total if step is not None else "",
        "conseil": (step.advice or "") if step is not None else "",
        "expediteur": settings.sender_name or settings.company or "",
        "entreprise": settings.company or "",
        "email_expediteur": settings.sender_email or "",
        "telephone_expediteur": settings.sender_phone or "",
        "signature": signature(settings),
        "maj": f"relances maj {who}",
        "aujourdhui": _day(today, today),
    }
    assert set(context) == set(NAMES), set(context) ^ set(NAMES)
    return context


# --------------------------------------------------------------------------- rendering


def environment(templates: Path | None) -> SandboxedEnvironment:
    """The user's folder first, then the built-ins: an override is file by file."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.ext import Extension
    from jinja2.sandbox import SandboxedEnvironment

    class StandaloneTags(Extension):
        """A line holding nothing but {% … %} or {# … #} tags leaves no line behind.

        Jinja's trim_blocks would also eat the line break after an `{% endif %}` that
        ends a line of text, a trap for anyone editing a template. Here the line break
        of a tag-only line moves inside a comment instead: it vanishes from the output
        while the lexer still counts it, so error messages keep the file's line numbers.
        """

        def preprocess(self, source: str, name: str | None,
                       filename: str | None = None) -> str:
            return _STANDALONE.sub(r"\1{#\n#}", source)

    # utf-8-sig: Windows Notepad may save a byte-order mark at the top of the file.
    loader = FileSystemLoader([str(root) for root in _roots(templates)], encoding="utf-8-sig")
    return SandboxedEnvironment(loader=loader, undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=True, extensions=[StandaloneTags])


_TAG = r"(?:\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})"
_STANDALONE = re.compile(rf"^[ \t]*({_TAG}(?:[ \t]*{_TAG})*)[ \t]*\r?\n", re.MULTILINE)


def render(env: SandboxedEnvironment, name: str, context: dict[str, Any],
           templates: Path | None) -> str:
    """The text of one template for one prospect; a mistake in it is an InvalidInput."""
    try:
        template: Template = env.get_template(name)
        text = template.render(context)
    except UnicodeDecodeError:
        raise InvalidInput(
            f"Le modèle {_shown(_located(name, templates))} n'est pas enregistré en UTF-8 : "
            "ouvrez-le dans un éditeur de texte et enregistrez-le avec l'encodage UTF-8."
        ) from None
    except Exception as error:  # a user's template may fail in any way: say where
        raise _template_error(error, name, templates) from None
    return _tidy(text)


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
            f"Le modèle {_shown(_located(name, templates))} doit commencer par la ligne "
            "« Objet : … » (l'objet de l'email), suivie d'une ligne vide puis du texte.")
    return " ".join(match[1].split()), rest.strip("\n") + "\n"


def _located(name: str, templates: Path | None) -> Path:
    for root in _roots(templates):
        if (root / name).is_file():
            return root / name
    return BUILTIN / name


def _shown(path: Path | str | None) -> str:
    """The user's own file as they would type it (relative to the current folder when it
    is inside); a built-in one says so."""
    if path is None:
        return "?"
    path = Path(path)
    try:
        inside_builtin = path.resolve().is_relative_to(BUILTIN.resolve())
    except OSError:
        inside_builtin = False
    if inside_builtin:
        return f"intégré {path.resolve().relative_to(BUILTIN.resolve()).as_posix()}"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _failing_line(error: BaseException, fallback: str) -> tuple[str, int | None]:
    """Jinja rewrites tracebacks so a template's frames carry its file and line: the
    deepest such frame is where the template went wrong (an included one, perhaps)."""
    lineno = getattr(error, "lineno", None)
    filename = getattr(error, "filename", None)
    if lineno is not None:
        return filename or fallback, lineno
    found: tuple[str, int | None] = (fallback, None)
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(".txt") and os.path.isfile(frame.filename):
            found = (frame.filename, frame.lineno)
    return found


def _template_error(error: BaseException, name: str, templates: Path | None) -> InvalidInput:
    """One French sentence: which file, which line, what is wrong, how to fix it."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    filename, lineno = _failing_line(error, str(_located(name, templates)))
    where = f"Le modèle {_shown(filename)}" + (f", ligne {lineno}," if lineno else "")
    detail = str(getattr(error, "message", None) or error)
    if isinstance(error, SecurityError):
        culprit = re.search(r"attribute '([^']+)'", detail)
        shown = f"« {culprit[1]} »" if culprit else "un nom interdit"
        return InvalidInput(f"{where} utilise {shown}, interdit dans un modèle : retirez-le.")
    if isinstance(error, UndefinedError):
        unknown = re.search(r"'([^']+)' is undefined", detail)
        if unknown or not (attribute := re.search(r"has no attribute '([^']+)'", detail)):
            shown = f"« {unknown[1]} »" if unknown else "un nom"
            return InvalidInput(f"{where} utilise {shown}, qui n'existe pas : les noms "
                                f"possibles sont {', '.join(NAMES)} (voir {README_NAME}).")
        return InvalidInput(f"{where} utilise « .{attribute[1]} », qui n'existe pas : les "
                            "valeurs des modèles sont du texte, des nombres ou des listes, "
                            f"sans attributs (voir {README_NAME}).")
    if isinstance(error, TemplateSyntaxError):
        unknown = re.search(r"No (filter|test) named '([^']+)'", detail)
        if unknown:
            kind = "le filtre" if unknown[1] == "filter" else "le test"
            return InvalidInput(f"{where} utilise {kind} « {unknown[2]} », qui n'existe pas : "
                                "corrigez son nom ou retirez-le.")
        return InvalidInput(f"{where} est mal écrit ({_syntax_in_french(detail)}) : vérifiez "
                            "que chaque {{ a son }}, chaque {% if %} son {% endif %} et "
                            "chaque {% for %} son {% endfor %}.")
    return InvalidInput(f"{where} n'a pas pu être appliqué ({type(error).__name__} : "
                        f"{detail}) : corrigez cette ligne.")


def _syntax_in_french(detail: str) -> str:
    if "unexpected end of template" in detail.lower():
        block = re.search(r"needs to be closed is '(\w+)'", detail)
        return (f"le modèle se termine alors qu'un {{% {block[1]} %}} n'est pas fermé"
                if block else "le modèle se termine avant la fin d'un bloc")
    if "unexpected '}'" in detail:
        return "accolade « } » en trop"
    match = re.search(r"Encountered unknown tag '([^']+)'", detail)
    if match:
        return f"balise « {match[1]} » inconnue ou mal placée"
    return f"Jinja : « {detail} »"


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
        message["To"] = _address(_addressee(prospect) or None, prospect.email or "")
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

    from relances.core.countries import timezone_of

    moment = datetime.combine(today, settings.agenda_time)
    try:
        return moment.replace(tzinfo=ZoneInfo(timezone_of(settings.country)))
    except (ZoneInfoNotFoundError, ValueError):
        return moment.astimezone()


# --------------------------------------------------------------------------- writing


def write(prepared: Prepared, folder: Path, replace: bool, book: str) -> Written:
    """Write the drafts (keeping those already there unless `replace`), then index.txt."""
    from relances.workbook.files import write_atomically

    result = Written(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for draft in prepared.drafts:
            target = folder / draft.filename
            if target.exists() and not replace:
                result.kept.append(draft)
                continue
            (result.replaced if target.exists() else result.written).append(draft)
            write_atomically(target, draft.data)
        write_atomically(folder / "index.txt", index_text(prepared, result, book).encode())
    except OSError:
        raise InvalidInput(
            f"Impossible d'écrire dans « {folder} » : vérifiez que le dossier est accessible "
            "en écriture et qu'aucun brouillon n'est ouvert, ou choisissez-en un autre avec "
            "--sortie.") from None
    return result


def step_label(step: Step | None) -> str:
    return f"relance {step.number}/{step.total}" if step is not None else "hors cadence"


def index_text(prepared: Prepared, result: Written, book: str) -> str:
    """What the folder holds and what was left out, to read before sending."""
    kept = {id(d) for d in result.kept}
    week = prepared.start.isocalendar().week
    lines = [f"Relances du {format_date(prepared.start)} au {format_date(prepared.end)} "
             f"(semaine {week}), en retard comprises — {book}", ""]

    def describe(draft: Draft) -> str:
        p = draft.prospect
        late = " (en retard)" if p.next_followup and p.next_followup < prepared.start else ""
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
