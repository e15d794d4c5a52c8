"""Fill a tracker made by `relances init` with N realistic prospects.

Run by bench/run.py with the python of bench/.venv-tool (it imports the installed
relances, never the checkout):

    python bench/generate.py FILE ROWS DD/MM/YYYY SEED

FILE must already exist (created by `relances init -f FILE`), so the real layout,
formulas, conditional formats, validations and named cells are there. Prospects
are written by the tool's own writer (`open_for_update` + `Update.append_all` + one
`save`), so every row carries the same formulas and number formats as a row added
with `relances ajouter`, and the Journal lines (one per Historique line, about one per
prospect) are written by `Update.journal`, as `maj` writes them. IDs are given
directly.

Prints one JSON line: the name of the prospect written on the middle row (the one
`voir` looks up), and the counts.
"""

from __future__ import annotations

import json
import random
import sys
import time
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from relances.core.model import ACTIONS, JournalEntry, Prospect, Status
from relances.workbook.session import open_for_update

KINDS = (
    "Menuiserie", "Boulangerie", "Cabinet", "Garage", "Hôtel", "Restaurant", "SCI",
    "Copropriété", "Pharmacie", "Société", "Atelier", "Agence", "Clinique vétérinaire",
    "Librairie", "Ferme", "École de danse", "Club de tennis", "Boucherie", "Fromagerie",
    "Cave", "Imprimerie", "Salon de coiffure", "Auto-école", "Crèche", "Camping",
)
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
    "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Légaré", "Noël",
    "Chevalier", "Gauthier", "Perrin", "Clément", "Rousseau", "Blanc", "Guérin", "Muller",
)
CITIES = (
    "Lyon", "Annecy", "Dijon", "Rennes", "Nantes", "Bordeaux", "Lille", "Metz", "Brest",
    "Tours", "Nîmes", "Pau", "Reims", "Angers", "Besançon", "Chambéry", "Valence",
)
SOURCES = (
    "Site web", "Recommandation", "Salon pro", "Bouche-à-oreille", "LinkedIn",
    "Appel entrant", "Pages Jaunes", "Partenaire", "Google Maps", "Ancien client",
)
WORKS = (
    "Rénovation", "Installation", "Mise aux normes", "Remplacement", "Réfection",
    "Extension", "Entretien annuel", "Création", "Aménagement", "Isolation",
)
OBJECTS = (
    "électrique du local commercial", "de 15 fenêtres", "de la cage d'escalier",
    "des combles", "de la cuisine professionnelle", "de la salle de bain PMR",
    "de la façade", "du site internet", "de la ventilation", "du parquet (120 m²)",
    "de 12 chambres", "du chauffage au sol", "de la vitrine", "de l'éclairage LED",
)
CHANNELS = ("Tel", "Email", "RDV", "Visite", "Devis", "SMS")
SUMMARIES = (
    "premier appel, souhaite un devis rapide", "devis envoyé, pas de réponse depuis",
    "intéressé mais pas pressé, rappeler fin du mois", "un concurrent propose moins cher",
    "accord sur le principe, reste le planning", "injoignable, message laissé",
    "demande une variante moins chère", "prise de mesures sur place",
    "bon de commande reçu", "décision en assemblée générale", "pas intéressé pour l'instant",
    "relance après devis, sans réponse", "rendez-vous fixé jeudi à 14 h",
)
NOTES = (
    "Décision en assemblée générale", "Préfère être appelé le matin",
    "Budget voté en janvier", "Attention : facture précédente payée en retard",
    "Contact via le salon de Lyon — très motivé", "Souhaite un paiement en 3 fois",
    "-10 % accordé si signature avant la fin du mois", "=à vérifier avec le gérant",
    "Chantier possible seulement l'été", "Client exigeant sur les délais",
)
OWNERS = ("Claire", "Karim", "Sophie", "Julien", "Nathalie")
ALERTS = ("concurrence", "budget serré", "urgent", "litige en cours")
LOST_REASONS = (
    "Prix trop élevé", "Concurrent choisi", "Projet abandonné", "Pas de budget",
    "Délais trop longs", "Injoignable",
)
DOMAINS = ("orange.fr", "gmail.com", "free.fr", "wanadoo.fr", "outlook.fr", "laposte.net")
STATUSES = (
    (Status.PROSPECT, 35), (Status.QUOTE_SENT, 25), (Status.NEGOTIATION, 12),
    (Status.WON, 15), (Status.LOST, 13),
)
ACTIVE_SILENCE = (  # days since the last contact of an active prospect: (from, to, weight)
    (0, 14, 60), (14, 30, 18), (30, 60, 12), (60, 90, 7), (90, 200, 3),
)
PROBABILITY = {
    Status.PROSPECT: (0.1, 0.2, 0.3), Status.QUOTE_SENT: (0.3, 0.4, 0.5),
    Status.NEGOTIATION: (0.5, 0.6, 0.7, 0.8), Status.WON: (1.0,), Status.LOST: (0.0,),
}


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def phone(rng: random.Random) -> str:
    first = rng.choice(("01", "02", "03", "04", "05", "06", "07", "09"))
    return " ".join([first, *(f"{rng.randrange(100):02d}" for _ in range(4))])


def make_prospect(rng: random.Random, number: int, today: date) -> Prospect:
    """One varied, plausible row: every column filled as a real user's would be."""
    surname = rng.choice(SURNAMES)
    kind = rng.choice(KINDS)
    name = f"{kind} {surname} n°{number}"
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    if status.active:
        # A tracker kept up to date every week: most active prospects were contacted
        # recently, a few are stale, dormant or zombies, very few silent past 90 days.
        low, high = rng.choices(ACTIVE_SILENCE, [w for *_, w in ACTIVE_SILENCE])[0][:2]
        last = today - timedelta(days=rng.randrange(low, high))
        first = last - timedelta(days=rng.randrange(0, 240))
    else:
        first = today - timedelta(days=rng.randrange(0, 720))
        last = first + timedelta(days=rng.randrange(0, (today - first).days + 1))
    since = first + timedelta(days=rng.randrange(0, (last - first).days + 1))
    if status.active:
        # 2 % typed by hand without a date: what `planifier` fills in.
        next_followup: date | None = (last + timedelta(days=rng.randrange(1, 35))
                                      if rng.random() < 0.98 else None)
    else:
        next_followup = (since + timedelta(days=rng.choice((15, 90, 180, 365)))
                         if rng.random() < 0.7 else None)
    amount = (None if rng.random() < 0.05
              else Decimal(round(rng.lognormvariate(9.0, 0.9), -1)).quantize(Decimal("1")))
    email = (f"{ascii_slug(surname)}.{ascii_slug(kind)[:8]}{number}@{rng.choice(DOMAINS)}"
             if rng.random() < 0.9 else None)
    history_lines = rng.choice((0, 1, 1, 2))
    history_days = sorted((last - timedelta(days=rng.randrange(0, 60))
                           for _ in range(history_lines - 1)), reverse=True)
    history_days = [last, *history_days] if history_lines else []
    history = "\n".join(
        f"{day:%d/%m} {rng.choice(CHANNELS)} : {rng.choice(SUMMARIES)}" for day in history_days
    ) or None
    return Prospect(
        name=name, id=number, email=email,
        phone=phone(rng) if rng.random() < 0.8 else None,
        status=status, source=rng.choice(SOURCES) if rng.random() < 0.9 else None,
        project=f"{rng.choice(WORKS)} {rng.choice(OBJECTS)}", amount=amount,
        probability=rng.choice(PROBABILITY[status]), first_contact=first, last_contact=last,
        next_followup=next_followup,
        action=rng.choice(ACTIONS) if next_followup is not None else None,
        history=history,
        notes=f"{rng.choice(NOTES)} ({rng.choice(CITIES)})" if rng.random() < 0.4 else None,
        owner=rng.choice(OWNERS),
        interlocutor=f"{rng.choice(('M.', 'Mme'))} {surname}" if rng.random() < 0.8 else None,
        status_since=since, followups_done=rng.randrange(0, 5),
        alert=rng.choice(ALERTS) if rng.random() < 0.05 else None,
        lost_reason=rng.choice(LOST_REASONS) if status is Status.LOST else None,
    )


def journal_entries(prospect: Prospect) -> list[JournalEntry]:
    """The Journal lines behind the Historique cell, as `maj` would have written them."""
    entries = []
    last = prospect.last_contact or prospect.first_contact
    assert last is not None
    for line in (prospect.history or "").splitlines():
        day_month, rest = line.split(" ", 1)
        channel, summary = rest.split(" : ", 1)
        day, month = (int(x) for x in day_month.split("/"))
        when = date(last.year, month, day)
        if when > last:
            when = date(last.year - 1, month, day)
        entries.append(JournalEntry(when, prospect.id, prospect.name, channel, summary, None,
                                    prospect.status, prospect.probability, prospect.owner))
    return entries


def main() -> None:
    path, rows, today_text, seed = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    day, month, year = (int(x) for x in today_text.split("/"))
    today = date(year, month, day)
    rng = random.Random(f"relances-bench-{seed}-{rows}")
    started = time.perf_counter()
    prospects = [make_prospect(rng, number, today) for number in range(1, rows + 1)]
    # The tool keeps Suivi sorted by Prochaine relance; nothing planned goes last.
    prospects.sort(key=lambda p: (p.next_followup or date.max, p.id))
    with open_for_update(path, today) as update:
        written = update.append_all(prospects)
        entries = sorted((e for p in prospects for e in journal_entries(p)),
                         key=lambda e: e.when)
        for entry in entries:
            update.journal(entry)
        update.save(datetime.now())
    middle = written[len(written) // 2]
    print(json.dumps({"middle_name": middle.name, "middle_row": middle.row,
                      "prospects": len(written), "journal": len(entries),
                      "seconds": round(time.perf_counter() - started, 1)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
