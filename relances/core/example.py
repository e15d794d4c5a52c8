"""The built-in example tracker: the workflow's own prospects and a few more.

The story is told as of Tuesday 20 January 2026, the day Martin's quote has
waited ten days. Every date moves by whole weeks to the week of "today", so the
example stays alive (some follow-ups overdue, some due this week, one stale,
one hot) whenever it is created, and weekdays stay what the story says. With
today fixed to 20/01/2026 the dates are exactly the workflow's.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from relances.core.model import JournalEntry, Prospect, Settings, Status
from relances.text.show import day_month

STORY_DAY = date(2026, 1, 20)


def _shift(today: date) -> timedelta:
    """Whole weeks between the story's day and today, so weekdays are kept."""
    return timedelta(weeks=(today - STORY_DAY).days // 7)


def example_settings() -> Settings:
    """A sender, so the example's email drafts are signed."""
    return Settings(
        sender_name="Claire Lemaire",
        company="Lemaire Rénovation",
        sender_email="contact@lemaire-renovation.fr",
        sender_phone="06 45 78 12 90",
        signature="Claire Lemaire\nLemaire Rénovation\n06 45 78 12 90",
    )


def example_prospects(today: date) -> list[Prospect]:
    """Ten prospects: every status, two owners, a hot one, stale ones, overdue ones."""
    shift = _shift(today)

    def d(day: int, month: int, year: int = 2026) -> date:
        return date(year, month, day) + shift

    def h(*lines: tuple[date, str, str]) -> str:
        return "\n".join(f"{day_month(when)} {channel} : {text}" for when, channel, text in lines)

    rows = [
        Prospect("Martin Menuiserie", email="m.martin@email.fr", phone="06 12 34 56 78",
                 status=Status.QUOTE_SENT, source="Site web",
                 project="Rénovation atelier 15 fenêtres", amount=Decimal("8500.00"),
                 probability=0.5, first_contact=d(5, 1), last_contact=d(10, 1),
                 next_followup=d(13, 1), action="Email",
                 history=h((d(10, 1), "Devis", "devis envoyé, pas de réponse depuis"),
                           (d(5, 1), "Visite", "prise de mesures à l'atelier")),
                 owner="Claire", interlocutor="M. Martin", status_since=d(10, 1),
                 followups_done=0),
        Prospect("Société Dupont SAS", email="a.dupont@societe.fr", phone="06 98 76 54 32",
                 status=Status.PROSPECT, source="Recommandation",
                 project="Installation électrique local commercial",
                 amount=Decimal("15000.00"), probability=0.3, first_contact=d(8, 1),
                 last_contact=d(15, 1), next_followup=d(30, 1), action="Tel",
                 history=h((d(15, 1), "Tel", "intéressé mais pas pressé, rappeler fin janvier"),
                           (d(8, 1), "Email", "demande de renseignements")),
                 owner="Claire", interlocutor="M. Dupont", status_since=d(8, 1),
                 followups_done=1),
        Prospect("Cabinet Leroy Architectes", email="contact@leroy-archi.fr",
                 phone="01 42 55 18 30", status=Status.NEGOTIATION, source="Salon pro",
                 project="Extension maison individuelle", amount=Decimal("32000.00"),
                 probability=0.8, first_contact=d(2, 12, 2025), last_contact=d(16, 1),
                 next_followup=d(22, 1), action="RDV",
                 history=h((d(16, 1), "RDV", "accord sur le principe, reste le planning")),
                 owner="Karim", interlocutor="Mme Leroy", status_since=d(5, 1),
                 followups_done=1),
        Prospect("Hôtel du Lac", email="direction@hoteldulac.fr", phone="04 50 12 34 56",
                 status=Status.NEGOTIATION, source="Recommandation",
                 project="Rénovation électrique de 12 chambres", amount=Decimal("45000.00"),
                 probability=0.5, first_contact=d(20, 11, 2025), last_contact=d(14, 1),
                 next_followup=d(21, 1), action="Tel",
                 history=h((d(14, 1), "Tel", "un concurrent propose moins cher")),
                 owner="Karim", interlocutor="M. Girard", status_since=d(9, 1),
                 followups_done=0, alert="concurrence"),
        Prospect("Mme Bernard", email="sophie.bernard@gmail.com", phone="07 61 22 33 44",
                 status=Status.PROSPECT, source="Site web",
                 project="Salle de bain adaptée PMR", amount=Decimal("6500.00"),
                 probability=0.1, first_contact=d(19, 1), last_contact=d(19, 1),
                 next_followup=d(21, 1), action="Email",
                 history=h((d(19, 1), "Tel", "premier appel, souhaite un devis rapide")),
                 owner="Claire", interlocutor="Mme Bernard", status_since=d(19, 1),
                 followups_done=0),
        Prospect("Copropriété Les Tilleuls", email="syndic@tilleuls-copro.fr",
                 phone="04 78 90 11 22", status=Status.QUOTE_SENT, source="Salon pro",
                 project="Réfection de la cage d'escalier", amount=Decimal("22000.00"),
                 probability=0.3, first_contact=d(24, 11, 2025), last_contact=d(22, 12, 2025),
                 next_followup=d(12, 1), action="Tel",
                 history=h((d(22, 12, 2025), "Email", "relance après devis, sans réponse"),
                           (d(15, 12, 2025), "Devis", "devis envoyé au syndic")),
                 owner="Karim", interlocutor="M. Fabre", status_since=d(15, 12, 2025),
                 followups_done=1, notes="Décision en assemblée générale"),
        Prospect("SCI Fontaine", email="sci.fontaine@orange.fr", phone=None,
                 status=Status.PROSPECT, source="Bouche-à-oreille",
                 project="Isolation des combles", amount=Decimal("4200.00"),
                 probability=0.1, first_contact=d(10, 11, 2025), last_contact=d(10, 11, 2025),
                 history=h((d(10, 11, 2025), "Tel", "demande de prix, pas de suite")),
                 owner="Claire", status_since=d(10, 11, 2025), followups_done=2),
        Prospect("Boulangerie Petit", email="boulangerie.petit@wanadoo.fr",
                 phone="03 80 45 67 89", status=Status.WON, source="Recommandation",
                 project="Ravalement de façade", amount=Decimal("12000.00"),
                 probability=1.0, first_contact=d(27, 11, 2025), last_contact=d(12, 1),
                 next_followup=d(27, 1), action="Tel",
                 history=h((d(12, 1), "RDV", "devis signé")),
                 owner="Karim", interlocutor="M. Petit", status_since=d(12, 1),
                 followups_done=0),
        Prospect("Restaurant Chez Nous", email="cheznous.resto@gmail.com",
                 phone="02 99 31 42 53", status=Status.WON, source="Site web",
                 project="Ventilation de la cuisine", amount=Decimal("18500.00"),
                 probability=1.0, first_contact=d(3, 11, 2025), last_contact=d(8, 1),
                 next_followup=d(23, 1), action="Tel",
                 history=h((d(8, 1), "Email", "bon de commande reçu")),
                 owner="Claire", interlocutor="Mme Roux", status_since=d(8, 1),
                 followups_done=0),
        Prospect("Garage Moreau", email="garage.moreau@free.fr", phone="05 56 78 90 12",
                 status=Status.LOST, source="Salon pro",
                 project="Mise aux normes électriques", amount=Decimal("9800.00"),
                 probability=0.0, first_contact=d(6, 10, 2025), last_contact=d(18, 12, 2025),
                 next_followup=d(18, 3), action="Email",
                 history=h((d(18, 12, 2025), "Tel", "a choisi un concurrent moins cher")),
                 owner="Karim", interlocutor="M. Moreau", status_since=d(18, 12, 2025),
                 followups_done=0, lost_reason="Prix trop élevé"),
    ]
    return [p.replace(id=number) for number, p in enumerate(rows, start=1)]


def example_journal(prospects: list[Prospect]) -> list[JournalEntry]:
    """The Journal lines behind each Historique, oldest first as they were recorded."""
    entries = []
    for prospect in prospects:
        for line in reversed((prospect.history or "").splitlines()):
            day, rest = line.split(" ", 1)
            channel, summary = rest.split(" : ", 1)
            when = _history_date(day, prospect)
            entries.append(JournalEntry(when, prospect.id, prospect.name, channel, summary,
                                        None, prospect.status, prospect.probability,
                                        prospect.owner))
    return sorted(entries, key=lambda e: e.when)


def _history_date(day_month: str, prospect: Prospect) -> date:
    """Historique shows dd/mm; the year is the one that keeps it within the prospect's story."""
    day, month = (int(x) for x in day_month.split("/"))
    anchor = prospect.last_contact or prospect.first_contact
    assert anchor is not None
    candidate = date(anchor.year, month, day)
    return candidate if candidate <= anchor else date(anchor.year - 1, month, day)
