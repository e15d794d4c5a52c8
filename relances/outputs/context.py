"""What a draft's template may use: every name, with what it holds (LISEZMOI.txt says the
same), and their values for one prospect, already written the French way.

The values are text, numbers or lists, never objects: a template cannot reach past them.
What the workbook does not say is "", so that `{% if projet %}` reads naturally.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from relances.core.cadence import Step, advice_for
from relances.core.contacts import described, others, person, recipient, speaking_to
from relances.core.model import Contact, Prospect, Settings, Status
from relances.text.show import format_amount, format_day_month, format_score

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
    "satisfaction": "la note du client : « 4 / 5 » (colonne Satisfaction)",
    "expediteur": "Nom de l'expéditeur (Paramètres)",
    "entreprise": "Entreprise (Paramètres)",
    "email_expediteur": "Email de l'expéditeur (Paramètres)",
    "telephone_expediteur": "Téléphone de l'expéditeur (Paramètres)",
    "signature": "Signature (Paramètres ; sinon nom, entreprise et téléphone)",
    "maj": "la commande à lancer après l'échange : « relances maj 1 »",
    "demander": "qui demander au téléphone : « Mme Roux (Décideur) » (feuille Contacts)",
    "autres_contacts": "les autres contacts du client, avec leur rôle (une liste)",
    "aujourdhui": "« 20 janvier »",
}
"""Every name a template may use, with what it holds: LISEZMOI.txt says the same."""


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


def addressee(prospect: Prospect) -> str:
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


def _asked_for(contact: Contact | None) -> str:
    if contact is None:
        return ""
    about = ", ".join(part for part in (contact.role, contact.position) if part)
    return person(contact) + (f" ({about})" if about else "")


def signature(settings: Settings) -> str:
    if settings.signature and settings.signature.strip():
        return settings.signature.strip()
    parts = (settings.sender_name, settings.company, settings.sender_phone)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def template_context(prospect: Prospect, step: Step | None, settings: Settings,
                     today: date, contacts: Sequence[Contact] = ()) -> dict[str, Any]:
    """What a template may use: French names, text already formatted the French way, ""
    for what the workbook does not say (so `{% if projet %}` reads naturally). With the
    Contacts sheet, the draft speaks to the client's recipient and a call lists the
    others."""
    chosen = recipient(prospect, contacts)
    prospect = speaking_to(prospect, contacts)
    p = prospect
    who_to = addressee(p)
    title = civility(who_to)
    status = p.status or Status.PROSPECT
    days = p.days_without_contact(today)
    history = [line.strip() for line in (p.history or "").splitlines() if line.strip()]
    who = str(p.id) if p.id is not None else f'"{p.name}"'
    context: dict[str, Any] = {
        "bonjour": f"Bonjour {title}," if title else "Bonjour,",
        "civilite": title,
        "interlocuteur": " ".join(who_to.split()),
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
        "en_retard": p.is_overdue(today),
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
        "conseil": advice_for(p, step) or "",
        "satisfaction": format_score(p.satisfaction) if p.satisfaction is not None else "",
        "expediteur": settings.sender_name or settings.company or "",
        "entreprise": settings.company or "",
        "email_expediteur": settings.sender_email or "",
        "telephone_expediteur": settings.sender_phone or "",
        "signature": signature(settings),
        "maj": f"relances maj {who}",
        "aujourdhui": _day(today, today),
        "demander": _asked_for(chosen),
        "autres_contacts": [described(c) for c in others(p, contacts)],
    }
    assert set(context) == set(NAMES), set(context) ^ set(NAMES)
    return context
