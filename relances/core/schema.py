"""The workbook declared once: sheets, columns, settings and the default cadence.

Reading, writing, validation and the README's column table all come from here,
so a header renamed in one place is renamed everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from relances.core.model import Outcome, Rule, Settings, Status
from relances.text.parsing import ParseError, normalize

FORMAT_VERSION = 1
"""Kept as a custom document property; upgrades are ordered by it."""

SHEET_TRACKER = "Suivi"
SHEET_RULES = "Règles"
SHEET_SETTINGS = "Paramètres"
SHEET_JOURNAL = "Journal"
SHEET_DASHBOARD = "Tableau de bord"
SHEET_CONTACTS = "Contacts"

DATE_FORMAT = "dd/mm/yyyy"
AMOUNT_FORMAT = '#,##0 "€";-#,##0 "€"'
PERCENT_FORMAT = "0%"


@dataclass(frozen=True)
class Column:
    """One column of Suivi: its header, the names it is recognised by, its look."""

    key: str
    header: str
    kind: str
    width: float
    synonyms: tuple[str, ...] = ()
    number_format: str | None = None
    created: bool = True
    """False for columns recognised in a user's file but never added by init."""
    help: str = ""

    @property
    def names(self) -> frozenset[str]:
        """Every normalised header text that designates this column."""
        return frozenset({normalize(self.header), *(normalize(s) for s in self.synonyms)})


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "int", 6, ("n", "no", "numero", "num", "ref", "reference", "identifiant"),
           "0", help="numéro unique, attribué par relances"),
    Column("name", "Nom Client/Prospect", "text", 28,
           ("nom", "client", "prospect", "societe", "entreprise", "raison sociale",
            "nom client", "nom du client", "nom prospect", "company", "name", "organisation"),
           help="le client ou le prospect"),
    Column("contact", "Contact (email + tel)", "contact", 34,
           ("contact", "coordonnees", "contact email tel", "email tel", "email / tel"),
           help="« email / téléphone » dans une seule cellule"),
    Column("status", "Statut", "status", 14, ("etat", "etape", "status", "stade"),
           help="Prospect, Devis envoyé, Négociation, Gagné ou Perdu"),
    Column("source", "Source", "text", 16,
           ("origine", "provenance", "canal d acquisition", "source du contact", "lead source"),
           help="comment le contact a été obtenu : site web, recommandation, salon…"),
    Column("project", "Projet", "text", 32, ("description", "objet", "besoin", "affaire"),
           help="description courte"),
    Column("amount", "Montant estimé (€)", "amount", 14,
           ("montant", "montant estime", "budget", "valeur", "montant ht", "ca", "amount",
            "prix", "montant du devis"), AMOUNT_FORMAT, help="en euros"),
    Column("probability", "Probabilité (%)", "percent", 12,
           ("probabilite", "proba", "chance", "chances", "probability", "pourcentage"),
           PERCENT_FORMAT, help="chances de conclure ; 50 se lit 50 %"),
    Column("first_contact", "Première interaction", "date", 13,
           ("premier contact", "date premier contact", "date de premiere interaction",
            "cree le", "date de creation", "date d entree"), DATE_FORMAT,
           help="date du premier échange"),
    Column("last_contact", "Dernier contact", "date", 13,
           ("date dernier contact", "date du dernier contact", "derniere interaction",
            "dernier echange", "dernier appel"), DATE_FORMAT,
           help="date du dernier échange avec le prospect"),
    Column("next_followup", "Prochaine relance", "date", 13,
           ("date de relance", "relance", "date relance", "relance le",
            "date prochaine relance", "date de la prochaine relance", "a relancer le",
            "relancer le"), DATE_FORMAT,
           help="date planifiée de la prochaine relance"),
    Column("action", "Action prévue", "text", 14,
           ("action", "prochaine action", "action a faire", "prochaine etape", "a faire",
            "type de relance", "type d action"),
           help="Email, Tel, RDV, Devis…"),
    Column("history", "Historique interactions", "text", 40,
           ("historique", "historique des interactions", "echanges", "suivi"),
           help="résumé des échanges, le plus récent en premier"),
    Column("notes", "Notes", "text", 30, ("note", "commentaire", "commentaires", "remarques"),
           help="texte libre"),
    Column("owner", "Responsable", "text", 14,
           ("commercial", "vendeur", "suivi par", "owner", "charge d affaires"),
           help="qui suit ce prospect"),
    Column("interlocutor", "Interlocuteur", "text", 18,
           ("personne a contacter", "contact principal", "decideur"),
           help="« M. Martin » : donne « Bonjour Monsieur Martin » dans les emails"),
    Column("status_since", "Statut depuis", "date", 13, ("date du statut", "depuis"),
           DATE_FORMAT, help="date où le statut actuel a commencé"),
    Column("followups_done", "Relances faites", "int", 10,
           ("nombre de relances", "nb relances", "relances"), "0",
           help="relances faites depuis le début du statut"),
    Column("alert", "Alerte", "text", 14, ("attention", "alertes"),
           help="texte libre (« concurrence ») : colore la ligne en orange"),
    Column("lost_reason", "Motif perte", "text", 20,
           ("motif", "raison perte", "motif de perte", "cause perte"),
           help="pourquoi l'affaire a été perdue"),
    Column("delay", "Délai (j)", "formula", 9,
           ("delai", "jours sans contact", "delai depuis dernier contact"), "0",
           help="formule : jours depuis le dernier contact"),
    Column("weighted", "CA pondéré", "formula", 13,
           ("ca pondere", "ca potentiel", "montant pondere"), AMOUNT_FORMAT,
           help="formule : montant × probabilité"),
    Column("email", "Email", "email", 28,
           ("e-mail", "mail", "courriel", "adresse email", "adresse mail"), created=False),
    Column("phone", "Téléphone", "phone", 16,
           ("tel", "tél", "portable", "mobile", "telephone", "numero de telephone", "phone"),
           created=False),
    Column("street", "Adresse", "text", 30,
           ("rue", "adresse postale", "adresse du client", "address", "street"),
           created=False, help="numéro et rue"),
    Column("postal_code", "Code postal", "text", 10,
           ("cp", "npa", "zip", "zip code", "postal code", "code postal du client"),
           created=False),
    Column("city", "Ville", "text", 16, ("commune", "localite", "city", "town"),
           created=False),
    Column("country", "Pays", "text", 12, ("country",), created=False),
    Column("quote_valid_until", "Validité devis", "date", 13,
           ("validite du devis", "validite des devis", "devis valable jusqu au",
            "fin de validite", "validite",
            "date de validite", "date limite du devis", "expiration devis",
            "quote expiration date"), DATE_FORMAT, created=False,
           help="dernier jour du devis : la relance est avancée avant qu'il expire"),
    Column("satisfaction", "Satisfaction", "score", 12,
           ("note satisfaction", "note de satisfaction", "satisfaction client",
            "note client", "score satisfaction", "csat"), "0", created=False,
           help="note de 1 à 5 du client gagné, donnée avec relances maj : colore la ligne"),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

FORMULA_KEYS = ("delay", "weighted")


def column_for_header(text: object) -> Column | None:
    """Headers are matched by name so a user's own tracker reads without edits."""
    if not isinstance(text, str) or not text.strip():
        return None
    key = normalize(text)
    return _HEADER_INDEX.get(key)


_HEADER_INDEX = {name: column for column in COLUMNS for name in column.names}


_STATUS_SYNONYMS = {
    Status.PROSPECT: ("prospect", "lead", "nouveau", "a contacter", "premier contact"),
    Status.QUOTE_SENT: ("devis envoye", "devis", "proposition", "offre envoyee"),
    Status.NEGOTIATION: ("negociation", "nego", "en negociation"),
    Status.WON: ("gagne", "client", "signe", "gagnee"),
    Status.LOST: ("perdu", "pas interesse", "inactif", "abandonne", "perdue"),
}
_STATUS_INDEX = {normalize(s): status for status, names in _STATUS_SYNONYMS.items()
                 for s in names}
STATUS_CHOICES = ", ".join(s.value for s in Status)
CANONICAL_STATUS = {s.value: s for s in Status}
"""Each status by the exact text of its cell: the usual case, read without normalising."""


def parse_status(value: object) -> Status | None:
    """Accept what people type ("devis", "Client", "négo") and keep one spelling."""
    if value in CANONICAL_STATUS:
        return CANONICAL_STATUS[value]  # type: ignore[index]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    status = _STATUS_INDEX.get(normalize(str(value)))
    if status is None:
        raise ParseError(f"« {value} » n'est pas un statut connu ({STATUS_CHOICES})")
    return status


_ACTION_INDEX = {
    "email": "Email", "mail": "Email", "courriel": "Email",
    "tel": "Tel", "telephone": "Tel", "appel": "Tel", "appeler": "Tel",
    "rdv": "RDV", "rendezvous": "RDV", "devis": "Devis", "visite": "Visite",
}


def parse_action(value: str) -> str:
    """Known actions get their canonical spelling; anything else is kept as typed."""
    text = value.strip()
    return _ACTION_INDEX.get(normalize(text), text)


CHANNELS = ("Email", "Tel", "RDV", "Devis", "Visite", "Autre")


_OUTCOMES = {
    "injoignable": Outcome.UNREACHABLE, "pasvenu": Outcome.UNREACHABLE,
    "absent": Outcome.UNREACHABLE, "interesse": Outcome.INTERESTED,
    "rdv": Outcome.MEETING, "rendezvous": Outcome.MEETING, "devis": Outcome.QUOTE,
    "gagne": Outcome.WON, "signe": Outcome.WON, "perdu": Outcome.LOST,
    "pasinteresse": Outcome.LOST,
}


def parse_channel(text: str) -> str:
    """The channel is one of a short list, so the Journal can be counted by channel."""
    action = parse_action(text)
    if action in CHANNELS:
        return action
    if normalize(text) == "autre":
        return "Autre"
    raise ParseError(f"« {text} » n'est pas un canal connu ({', '.join(CHANNELS)})")


def parse_outcome(text: str) -> Outcome:
    outcome = _OUTCOMES.get(normalize(text))
    if outcome is None:
        raise ParseError(f"« {text} » n'est pas une issue connue (injoignable, interesse, rdv, "
                         "devis, gagne, perdu)")
    return outcome


@dataclass(frozen=True)
class SettingSpec:
    """One line of Paramètres: the label the user reads and the Settings field."""

    attr: str
    label: str
    kind: str
    help: str
    status: Status | None = None
    name: str | None = None
    """Defined name pointing at the value, for formulas and conditional formats."""


STALE_NAMES = {Status.PROSPECT: "SeuilAlerteProspect", Status.QUOTE_SENT: "SeuilAlerteDevis",
               Status.NEGOTIATION: "SeuilAlerteNegociation"}
"""The defined names of the alert thresholds, one per active status: the red rows'
conditional formats read them, so a change in Paramètres repaints the sheet at once."""

SINGLE_ALERT = SettingSpec("stale_days", "Alerte après (jours sans contact)", "int",
                           "la ligne devient rouge au-delà")
"""The one threshold of the trackers made before there was one per status: still read,
for every status that has no line of its own."""

SETTINGS_SPECS: tuple[SettingSpec, ...] = (
    *(SettingSpec("stale_days", f"Alerte après (jours sans contact) : {s.value}", "int",
                  "la ligne devient rouge au-delà", status=s, name=name)
      for s, name in STALE_NAMES.items()),
    SettingSpec("dormant_days", "Dormant après (jours sans contact)", "int",
                "à décider : relancer ou abandonner"),
    SettingSpec("zombie_days", "Zombie après (jours sans contact)", "int",
                "avec une probabilité sous le seuil suivant"),
    SettingSpec("zombie_probability", "Zombie si probabilité inférieure à", "percent",
                "dernière réactivation ou Perdu"),
    SettingSpec("auto_lost_days", "Perdu automatique après (jours sans interaction)", "int",
                "appliqué par relances planifier"),
    SettingSpec("hot_probability", "Prospect chaud à partir de", "percent",
                "à traiter en début de semaine", name="SeuilChaud"),
    SettingSpec("max_followups", "Relances max par statut", "int",
                "ensuite : décider de clôturer (ne pas harceler)"),
    SettingSpec("retry_days", "Nouvel essai si injoignable (jours ouvrés)", "int",
                "même étape, réessayée après ce délai"),
    SettingSpec("abandon_days", "Relance abandonnée après (jours ouvrés de retard)", "int",
                "en retard de plus, sans échange depuis : comptée abandonnée"),
    *(SettingSpec("default_probability", f"Probabilité par défaut : {s.value}", "percent",
                  "appliquée quand le statut change", status=s) for s in Status),
    SettingSpec("working_days_only", "Jours ouvrés uniquement", "bool",
                "Oui : jamais de relance le week-end ni un jour férié"),
    SettingSpec("country", "Pays (jours fériés)", "country", "FR, BE, CH, LU ou CA"),
    SettingSpec("agenda_time", "Heure des relances", "time", "heure des événements d'agenda"),
    SettingSpec("sector_rate_low", "Taux de conversion de référence (bas)", "percent",
                "référence du secteur (artisans du BTP : 15 à 25 %)"),
    SettingSpec("sector_rate_high", "Taux de conversion de référence (haut)", "percent", ""),
    SettingSpec("sender_name", "Nom de l'expéditeur", "text", "signe les emails"),
    SettingSpec("company", "Entreprise", "text", ""),
    SettingSpec("sender_email", "Email de l'expéditeur", "text", "expéditeur des brouillons"),
    SettingSpec("sender_phone", "Téléphone de l'expéditeur", "text", ""),
    SettingSpec("signature", "Signature", "text", "ajoutée au bas des emails"),
    SettingSpec("backups_kept", "Sauvegardes conservées", "int",
                "versions précédentes gardées dans le dossier sauvegardes"),
)

SETTINGS_HEADERS = ("Paramètre", "Valeur", "Explication")
def default_setting(spec: SettingSpec, settings: Settings | None = None) -> object:
    """The value a spec holds in a Settings object (the defaults when none is given)."""
    source = settings or Settings()
    value = getattr(source, spec.attr)
    return value[spec.status] if spec.status is not None else value


RULES_HEADERS = ("Statut", "Jour (J+N)", "Compté depuis", "Action", "Modèle", "Conseil")
FROM_STATUS_START = "Statut depuis"
FROM_LAST_CONTACT = "Dernier contact"

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Status.PROSPECT, 2, False, "Email", "prospect-merci",
         "Remercier et récapituler les besoins"),
    Rule(Status.PROSPECT, 7, False, "Tel", "prospect-appel",
         "Appeler si l'email est resté sans réponse"),
    Rule(Status.PROSPECT, 14, False, "Email", "prospect-valeur",
         "Apporter de la valeur : un conseil, un article, une réalisation"),
    Rule(Status.PROSPECT, 30, False, "Tel", "prospect-final",
         "Dernier appel : relancer une dernière fois ou abandonner"),
    Rule(Status.QUOTE_SENT, 3, False, "Email", "devis-consulte",
         "Demander si le devis a pu être consulté"),
    Rule(Status.QUOTE_SENT, 7, False, "Tel", "devis-appel",
         "Appeler si pas de réponse"),
    Rule(Status.QUOTE_SENT, 14, False, "Email", "devis-ajustement",
         "Proposer d'ajuster le devis si besoin"),
    Rule(Status.QUOTE_SENT, 21, False, "Email", "devis-alternative",
         "Proposer une alternative ou clôturer"),
    Rule(Status.NEGOTIATION, 7, True, "Tel", "negociation-point",
         "Faire le point sans harceler ; proposer un RDV en cas de blocage"),
    Rule(Status.LOST, 90, False, "Email", "perdu-reactivation",
         "Réactiver avec une nouvelle offre"),
    Rule(Status.LOST, 180, False, "Email", "perdu-saisonniere",
         "Relance saisonnière"),
    Rule(Status.WON, 15, False, "Tel", "satisfaction",
         "Appeler le client : sa note de satisfaction, de 1 à 5"),
    Rule(Status.WON, 90, False, "Email", "gagne-satisfaction",
         "Vérifier la satisfaction et demander un avis"),
    Rule(Status.WON, 365, False, "Email", "gagne-annuelle",
         "Relance commerciale annuelle : nouvelle offre"),
)

CONTACT_HEADERS = ("ID client", "Nom", "Civilité", "Poste", "Email", "Téléphone", "Mobile",
                   "Rôle", "Principal", "Notes")
CONTACT_FIELDS = ("client", "name", "civility", "position", "email", "phone", "mobile", "role",
                  "principal", "notes")
"""The Contact attribute of each Contacts column, in CONTACT_HEADERS order."""
DECISION_MAKER = "Décideur"
ROLES = (DECISION_MAKER, "Technique", "Facturation", "Observateur")
_ROLE_INDEX = {normalize(role): role for role in ROLES} | {
    "decisionnaire": DECISION_MAKER, "dirigeant": DECISION_MAKER, "tech": "Technique",
    "comptabilite": "Facturation", "compta": "Facturation", "factures": "Facturation",
    "observatrice": "Observateur", "copie": "Observateur"}


def parse_role(text: str) -> str:
    """A contact's role is one of four, so drafts know whom to write to."""
    role = _ROLE_INDEX.get(normalize(text))
    if role is None:
        raise ParseError(f"« {text} » n'est pas un rôle connu ({', '.join(ROLES)})")
    return role


JOURNAL_HEADERS = ("Date", "ID", "Nom", "Canal", "Résumé", "Issue", "Statut", "Probabilité",
                   "Responsable", "Prochaine relance")


def headers_markdown() -> str:
    """The README's tables of columns: what each holds, and every header it is known by
    (a test keeps README.md in step with this declaration)."""
    content = ["| colonne | contenu |", "|---|---|",
               *(f"| {c.header} | {c.help} |" for c in COLUMNS if c.created)]
    names = ["| colonne | en-têtes reconnus (majuscules, accents et ponctuation à part) |",
             "|---|---|",
             *(f"| {c.header} | " + ", ".join(f"« {n} »" for n in (c.header, *c.synonyms))
               + " |" for c in COLUMNS)]
    return "\n".join(content) + "\n\n" + "\n".join(names) + "\n"
