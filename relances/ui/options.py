"""How the command line spells each parameter, for the texts written below it (see
core/errors): cli words the errors with it, ui the warnings of a read."""

from relances.core.errors import worded

OPTION_NAMES = {
    "file": "--fichier",
    "output": "--sortie",
    "force": "--force",
    # prospects: ajouter, liste, maj
    "contact": "--contact", "email": "--email", "phone": "--tel",
    "status": "--statut", "source": "--source", "project": "--projet",
    "amount": "--montant", "probability": "--proba", "first_contact": "--premiere",
    "last_contact": "--dernier", "next_followup": "--prochaine", "action": "--action",
    "notes": "--note", "owner": "--responsable", "interlocutor": "--interlocuteur",
    "status_since": "--depuis", "duplicate": "--doublon", "search": "--chercher",
    "date": "--date", "outcome": "--issue", "mobile": "--mobile", "role": "--role",
    "satisfaction": "--satisfaction",
    # analyse, accueil
    "since": "--depuis", "until": "--jusqu-au", "replace": "--remplacer",
    # agenda, import and export
    "sheet": "--feuille",
    "columns": "--colonne",
    "format": "--format",
    # drafts, templates and PDFs
    "templates": "--modeles",
    "pdf": "--pdf",
}


def said(text: str) -> str:
    """A warning written below the command line, with its options' names."""
    return worded(text, OPTION_NAMES)
