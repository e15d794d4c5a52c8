"""The catalogue of the analysis figures: each figure's key in `analyse --json`, its
French label, the one line saying what it counts, and how its value is written in
French; and the columns of the breakdown tables (by status, source, owner, month, lost
reason), each declared once.

The terminal, the JSON, the PDF and the Tableau de bord all read their names, headers
and definitions here, so a figure is called the same and defined in the same words
wherever it appears. stats counts the figures, advice reads them; this module only
names them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from relances.core.cadence import CALL_BACK_DAYS
from relances.core.model import CALL_BACK_SCORE
from relances.text.show import (
    format_amount,
    format_count,
    format_date,
    format_days,
    format_month,
    format_percent,
    format_score,
    format_tenths,
    show_value,
)

if TYPE_CHECKING:
    from relances.core.model import Settings
    from relances.core.stats import Analysis, Period

T = TypeVar("T")

NO_SOURCE = "Sans source"
NO_OWNER = "Sans responsable"
NO_REASON = "Sans motif"


def show_period(span: Period) -> str:
    """« du 01/01/2026 au 20/03/2026 »: the period as every output titles it."""
    return f"du {format_date(span.start)} au {format_date(span.end)}"


def show_range(rates: tuple[float, float]) -> str:
    """« 15 % à 25 % »: the sector's reference conversion rates, low and high."""
    low, high = rates
    return f"{format_percent(low)} à {format_percent(high)}"


def _define(template: str, span: Period, settings: Settings) -> str:
    """A definition in the words of this period and these settings."""
    return template.format(period=show_period(span), start=format_date(span.start),
                           end=format_date(span.end), zombie_days=settings.zombie_days,
                           zombie_probability=format_percent(settings.zombie_probability),
                           stale_days=show_thresholds(settings),
                           abandon_days=settings.abandon_days)


def show_thresholds(settings: Settings) -> str:
    """« Prospect 14 j, Devis envoyé 10 j, Négociation 7 j »: the alert thresholds read
    from Paramètres, as the definitions of the red rows name them."""
    return ", ".join(f"{status.value} {days} j" for status, days in settings.stale_days.items())


@dataclass(frozen=True)
class Figure(Generic[T]):
    """One figure of the analysis, as every output names, defines and writes it."""

    key: str
    """Its key in `analyse --json` and among the definitions."""
    label: str
    """Its French name, as the terminal prints it beside the figure."""
    value: Callable[[Analysis], T]
    show: Callable[[T], str]
    """Its value in French (8 500 €, 23,5 %, 37 jours), from text/show."""
    definition: str | None
    """What it counts, in one line; {period}, {start}, {end}, {zombie_days},
    {zombie_probability}, {stale_days} and {abandon_days} stand for the period's and the
    settings' own.
    None for a figure another one's definition already counts."""

    def text(self, a: Analysis) -> str:
        return self.show(self.value(a))

    def define(self, span: Period, settings: Settings) -> str:
        return _define(self.definition or "", span, settings)


@dataclass(frozen=True)
class Field(Generic[T]):
    """One column of a breakdown table: the same key, header and French text in the
    terminal, the JSON, the PDF and the Tableau de bord."""

    key: str
    """Its key in each row of the JSON."""
    header: str
    value: Callable[[Any], T]
    """Read off one row (a Group, a Month, a StatusLine, a lost reason)."""
    show: Callable[[T], str]
    width: int
    """The widest a terminal table lets it grow; longer text ends with « … »."""

    def text(self, row: object) -> str:
        return self.show(self.value(row))


@dataclass(frozen=True)
class Breakdown:
    """A table of the analysis: one row per status, source, owner, month or reason."""

    key: str
    label: str
    """Its title, and its name among the definitions."""
    rows: Callable[[Analysis], Sequence[Any]]
    columns: tuple[Field[Any], ...]
    """Its table's columns, in order, the first naming the row."""
    definition: str
    json_fields: tuple[Field[Any], ...] = ()
    """The fields of each row in --json, when the JSON carries more than the columns."""
    empty: str = "aucune ligne sur la période"
    """What the terminal says when the table has no row."""

    @property
    def fields(self) -> tuple[Field[Any], ...]:
        return self.json_fields or self.columns

    def field(self, key: str) -> Field[Any]:
        return next(f for f in self.fields if f.key == key)

    def define(self, span: Period, settings: Settings) -> str:
        return _define(self.definition, span, settings)


def _named(empty: str) -> Callable[[str | None], str]:
    """A row's name, or what stands for the rows without one."""
    return lambda label: label or empty


# --------------------------------------------------------------------------- the figures

PERIOD = Figure("periode", "Période", attrgetter("period"), show_period,
                "{period} (par défaut : du 1er janvier à aujourd'hui)")
PROSPECTS = Figure(
    "prospects", "Prospects suivis", attrgetter("prospects"), format_count,
    "prospects suivis : entrés au plus tard le {end} (Première interaction, sinon 1re ligne "
    "du Journal, Statut depuis ou Dernier contact) et pas déjà gagnés ni perdus avant le "
    "{start}")
QUOTES = Figure(
    "devis_envoyes", "Devis envoyés", attrgetter("quotes"), format_count,
    "prospects suivis passés par Devis envoyé : statut actuel Devis envoyé ou Négociation, "
    "ou une ligne du Journal à l'un de ces statuts")
WON = Figure(
    "gagnes", "Gagnés", attrgetter("won"), format_count,
    "statut actuel Gagné, commencé dans la période (Statut depuis, sinon Dernier contact, "
    "sinon date d'entrée) ; une affaire perdue puis relancée compte selon son statut actuel")
LOST = Figure(
    "perdus", "Perdus", attrgetter("lost"), format_count,
    "statut actuel Perdu, commencé dans la période (Statut depuis, sinon Dernier contact, "
    "sinon date d'entrée)")
IN_PROGRESS = Figure("en_cours", "En cours", attrgetter("in_progress"), format_count,
                     "prospects suivis ni gagnés ni perdus dans la période")
CONVERSION = Figure("taux_conversion", "Taux de conversion", attrgetter("conversion"),
                    format_percent,
                    "gagnés / prospects suivis (la définition du tableau de suivi)")
WIN_RATE = Figure("taux_reussite", "Taux de réussite", attrgetter("win_rate"), format_percent,
                  "gagnés / (gagnés + perdus) : parmi les affaires tranchées")
SECTOR = Figure("reference_secteur", "Référence du secteur",
                lambda a: (a.sector_low, a.sector_high), show_range,
                "Paramètres : taux de conversion de référence (bas et haut)")
REVENUE = Figure("ca_realise", "CA réalisé", attrgetter("revenue"), format_amount,
                 "somme des montants des affaires gagnées dans la période (sans montant : "
                 "0 €)")
WEIGHTED = Figure("ca_pondere", "CA pondéré", attrgetter("weighted_pipeline"), format_amount,
                  "aujourd'hui : somme montant × probabilité des prospects actifs (comme le "
                  "Tableau de bord)")
AVERAGE_DEAL = Figure("ca_moyen", "CA moyen par affaire", attrgetter("average_deal"),
                      format_amount, "CA réalisé / affaires gagnées qui ont un montant")
WON_WITHOUT_AMOUNT = Figure("gagnes_sans_montant", "Gagnés sans montant",
                            attrgetter("won_without_amount"), format_count, None)
DELAY = Figure(
    "delai_moyen_jours", "Délai moyen", attrgetter("delay.value"), format_days,
    "moyenne des jours entre la première interaction (Première interaction, sinon 1re ligne "
    "du Journal) et la décision (Statut depuis), affaires gagnées ou perdues dans la période")
FOLLOWUP_DELAY = Figure(
    "delai_relance_decision_jours", "Première relance → décision",
    attrgetter("followup_delay.value"), format_days,
    "moyenne des jours entre la première relance (1re ligne du Journal après la première "
    "interaction et avant le jour de la décision) et la décision (Statut depuis)")
FOLLOWUPS_BEFORE_WIN = Figure(
    "relances_avant_gain", "Relances avant un gain", attrgetter("followups_before_win.value"),
    format_tenths,
    "moyenne, par affaire gagnée dans la période et présente au Journal, des lignes du "
    "Journal entre la première interaction et le jour du gain (exclus)")
FOLLOWUPS = Figure("relances_faites", "Relances faites", attrgetter("followups"), format_count,
                   "lignes du Journal datées dans la période")
CREATED = Figure("relances_creees", "Relances créées", attrgetter("created"), format_count,
                 "lignes du Journal datées dans la période qui planifient une prochaine "
                 "relance (colonne Prochaine relance du Journal)")
ABANDONED = Figure(
    "relances_abandonnees", "Relances abandonnées", attrgetter("abandoned"), format_count,
    "aujourd'hui : prospects actifs dont la prochaine relance est dépassée de plus de "
    "{abandon_days} jours ouvrés, sans ligne du Journal depuis cette date")
MEETINGS = Figure("rdv_tenus", "RDV tenus", attrgetter("meetings"), format_count,
                  "lignes du Journal datées dans la période au canal RDV ou Visite")
WON_FOLLOWED = Figure(
    "gagnes_apres_relance", "Gagnés après relance", attrgetter("won_followed"), format_count,
    "affaires gagnées dans la période avec au moins une ligne du Journal entre la première "
    "interaction et le jour du gain (exclu)")
WON_UNFOLLOWED = Figure("gagnes_sans_relance", "Gagnés sans relance",
                        attrgetter("won_unfollowed"), format_count,
                        "affaires gagnées dans la période sans aucune relance au Journal "
                        "avant le jour du gain")
FOLLOWED_SHARE = Figure("part_gagnes_apres_relance", "Part des gains après relance",
                        attrgetter("followed_share"), format_percent,
                        "gagnés après relance / gagnés : ce que les relances rapportent")
ACTIVE = Figure("prospects_actifs", "Prospects actifs", attrgetter("active"), format_count, None)
OVERDUE = Figure("relances_en_retard", "Relances en retard", attrgetter("overdue"),
                 format_count,
                 "aujourd'hui : prospects actifs dont la prochaine relance est passée")
STALE = Figure("sans_nouvelles", "Sans nouvelles", attrgetter("stale"), format_count,
               "aujourd'hui : prospects actifs sans contact depuis plus que le seuil d'alerte "
               "de leur statut ({stale_days}) : les lignes rouges du classeur")
ZOMBIES = Figure("zombies", "Zombies", attrgetter("zombies"), format_count,
                 "aujourd'hui : prospects actifs sans contact depuis plus de {zombie_days} "
                 "jours, probabilité inférieure à {zombie_probability}")
SATISFACTION = Figure(
    "satisfaction_moyenne", "Satisfaction moyenne", attrgetter("satisfaction.value"),
    format_score,
    "aujourd'hui : moyenne des notes de 1 à 5 de la colonne Satisfaction (données avec "
    "relances maj après l'appel de satisfaction), sur les clients notés")
RATED = Figure("clients_notes", "Clients notés", attrgetter("satisfaction.count"), format_count,
               None)
CALLS_BACK = Figure("clients_mecontents", "Clients mécontents",
                    lambda a: len(a.to_call_back), format_count, None)
UNDATED = Figure("lignes_sans_date", "Lignes sans date", attrgetter("undated"), format_count,
                 "lignes sans aucune date (ni Première interaction, ni Journal, ni Statut "
                 "depuis, ni Dernier contact) : hors analyse")


# --------------------------------------------------------------------------- the tables

_STATUS = Field("statut", "Statut", attrgetter("status.value"), show_value, 14)
_SOURCE = Field("source", "Source", attrgetter("label"), _named(NO_SOURCE), 24)
_OWNER = Field("responsable", "Responsable", attrgetter("label"), _named(NO_OWNER), 18)
_MONTH = Field("mois", "Mois", attrgetter("start"), format_month, 10)
_REASON = Field("motif", "Motif", itemgetter(0), _named(NO_REASON), 40)
_PROSPECTS = Field("prospects", "Prospects", attrgetter("prospects"), format_count, 9)
_QUOTES = Field("devis_envoyes", "Devis", attrgetter("quotes"), format_count, 5)
_WON = Field("gagnes", "Gagnés", attrgetter("won"), format_count, 6)
_LOST = Field("perdus", "Perdus", attrgetter("lost"), format_count, 6)
_IN_PROGRESS = Field("en_cours", "En cours", attrgetter("in_progress"), format_count, 8)
_CONVERSION = Field("taux_conversion", "Conversion", attrgetter("conversion"), format_percent,
                    10)
_WIN_RATE = Field("taux_reussite", "Réussite", attrgetter("win_rate"), format_percent, 8)
_REVENUE = Field("ca_realise", "CA réalisé", attrgetter("revenue"), format_amount, 14)
_FOLLOWUPS = Field("relances_faites", "Relances", attrgetter("followups"), format_count, 8)
_OVERDUE = Field("relances_en_retard", "En retard", attrgetter("overdue"), format_count, 9)
_STALE = Field("sans_nouvelles", "Sans nouvelles", attrgetter("stale"), format_count, 14)
_CREATED = Field("relances_creees", "Créées", attrgetter("created"), format_count, 7)
_ABANDONED = Field("relances_abandonnees", "Abandonnées", attrgetter("abandoned"),
                   format_count, 11)
_MEETINGS = Field("rdv_tenus", "RDV tenus", attrgetter("meetings"), format_count, 9)
_DONE = Field("relances_faites", "Faites", attrgetter("followups"), format_count, 7)
_WITHOUT_FOLLOWUP = Field("sans_relance_prevue", "Sans relance", attrgetter("without_followup"),
                          format_count, 12)
_WITHOUT_OWNER = Field("sans_responsable", "Sans responsable", attrgetter("without_owner"),
                       format_count, 16)
_AMOUNT = Field("montant", "Montant", attrgetter("amount"), format_amount, 16)
_WEIGHTED = Field("ca_pondere", "CA pondéré", attrgetter("weighted"), format_amount, 16)
_ENTERED = Field("entres", "Entrés", attrgetter("entered"), format_count, 6)
_ACTIVE_AT_END = Field("actifs_fin_de_mois", "Actifs fin de mois", attrgetter("active"),
                       format_count, 18)
_DEALS = Field("nombre", "Affaires", itemgetter(1), format_count, 8)
_CLIENT = Field("nom", "Client", attrgetter("name"), show_value, 28)
_SCORE = Field("satisfaction", "Note", attrgetter("satisfaction"), format_score, 6)
_PHONE = Field("telephone", "Téléphone", attrgetter("phone"), show_value, 16)
_LAST_CONTACT = Field("dernier_contact", "Dernier contact", attrgetter("last_contact"),
                      format_date, 15)
_CLIENT_OWNER = Field("responsable", "Responsable", attrgetter("owner"), _named(NO_OWNER), 18)

PIPELINE = Breakdown(
    "pipeline_par_statut", "Pipeline par statut", attrgetter("pipeline"),
    (_STATUS, _PROSPECTS, _AMOUNT, _WEIGHTED, _STALE),
    "aujourd'hui : prospects actifs par statut, montant, montant × probabilité, et ceux sans "
    "contact depuis plus que le seuil d'alerte du statut ({stale_days})")
BY_SOURCE = Breakdown(
    "par_source", "Par source", attrgetter("by_source"),
    (_SOURCE, _PROSPECTS, _QUOTES, _WON, _LOST, _CONVERSION, _WIN_RATE, _REVENUE),
    "prospects suivis regroupés par Source (sans tenir compte des accents ni des majuscules)",
    (_SOURCE, _PROSPECTS, _QUOTES, _WON, _LOST, _IN_PROGRESS, _CONVERSION, _WIN_RATE,
     _REVENUE))
CONVERSION_CHART = "Conversion par source"
"""The chart of the conversion rate by source, on the PDF and on Tableau de bord."""
BY_OWNER = Breakdown(
    "par_responsable", "Par responsable", attrgetter("by_owner"),
    (_OWNER, _PROSPECTS, _FOLLOWUPS, _OVERDUE, _WON, _LOST, _CONVERSION, _WIN_RATE, _REVENUE),
    "prospects suivis regroupés par Responsable ; relances faites : lignes du Journal de la "
    "période à son nom",
    (_OWNER, _PROSPECTS, _QUOTES, _WON, _LOST, _IN_PROGRESS, _CONVERSION, _WIN_RATE, _REVENUE,
     _FOLLOWUPS, _OVERDUE))
ACTIVITY = Breakdown(
    "activite_par_responsable", "Activité par responsable", attrgetter("by_owner"),
    (_OWNER, _CREATED, _DONE, _ABANDONED, _OVERDUE, _MEETINGS),
    "par Responsable (celui de la ligne du Journal, sinon du prospect) : relances créées, "
    "faites et RDV tenus dans la période ; abandonnées (en retard de plus de {abandon_days} "
    "jours ouvrés sans échange depuis) et en retard aujourd'hui")
BY_MONTH = Breakdown(
    "par_mois", "Évolution mensuelle", attrgetter("by_month"),
    (_MONTH, _ENTERED, _WON, _LOST, _ACTIVE_AT_END, _WITHOUT_FOLLOWUP, _WITHOUT_OWNER),
    "entrés : date d'entrée dans le mois ; gagnés, perdus : décision dans le mois ; actifs : "
    "entrés et pas encore gagnés ni perdus le dernier jour du mois (ou de la période) ; "
    "sans relance : entrés dans le mois, toujours actifs, sans prochaine relance prévue ; "
    "sans responsable : entrés dans le mois sans Responsable")
LOST_REASONS = Breakdown(
    "motifs_perte", "Motifs de perte", attrgetter("lost_reasons"), (_REASON, _DEALS),
    "colonne Motif perte des affaires perdues dans la période")
CALL_BACK = Breakdown(
    "clients_a_rappeler", "Clients à rappeler", attrgetter("to_call_back"),
    (_CLIENT, _SCORE, _PHONE, _LAST_CONTACT, _CLIENT_OWNER),
    f"aujourd'hui : clients gagnés dont la note de satisfaction est de {CALL_BACK_SCORE} ou "
    f"moins, la plus basse d'abord ; maj planifie leur rappel {CALL_BACK_DAYS} jours ouvrés "
    "après la note", empty="aucun client mécontent")

CATALOGUE: tuple[Figure[Any] | Breakdown, ...] = (
    PERIOD, PROSPECTS, QUOTES, WON, LOST, IN_PROGRESS, CONVERSION, WIN_RATE, SECTOR, REVENUE,
    WEIGHTED, AVERAGE_DEAL, WON_WITHOUT_AMOUNT, PIPELINE, DELAY, FOLLOWUP_DELAY,
    FOLLOWUPS_BEFORE_WIN, FOLLOWUPS, CREATED, ABANDONED, MEETINGS, WON_FOLLOWED, WON_UNFOLLOWED,
    FOLLOWED_SHARE, ACTIVE, OVERDUE, STALE, ZOMBIES, SATISFACTION, RATED, CALLS_BACK,
    CALL_BACK, BY_SOURCE, BY_OWNER, ACTIVITY, BY_MONTH, LOST_REASONS, UNDATED,
)
"""Every figure and table, in the order the definitions are listed."""
DEFINED = tuple(item for item in CATALOGUE if item.definition)
"""Those with a definition of their own."""


def definitions(span: Period, settings: Settings) -> dict[str, str]:
    """What each figure counts, in the words printed beside it, by key."""
    return {item.key: item.define(span, settings) for item in DEFINED}
