"""Files relances makes or reads beside the workbook: accueil, importer, exporter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relances.core.contacts import described
from relances.core.model import Prospect, Status
from relances.text.show import format_date
from relances.ui.common import listed_lines, plural, warn_problems
from relances.ui.console import console, errors
from relances.ui.options import said

if TYPE_CHECKING:

    from relances.core.merging import ImportPlan
    from relances.services.exchange import ClientFolder, Exported, Imported, Welcome


def welcome_written(result: Welcome) -> None:
    """Where the checklist is and what it holds, the client's folder, what comes next."""
    warn_problems(result.problems)
    plan = result.plan
    p = plan.prospect
    who = p.id if p.id is not None else f'"{p.name}"'
    if not plan.won:
        status = p.status.value if p.status else Status.PROSPECT.value
        errors.print(
            f"Attention : {p.name} est au statut « {status} », pas Gagné : la liste est faite "
            "quand même, avec les échéances en jours (J+1, J+15…). Après la signature : "
            f"relances maj {who} --issue gagne, puis relances accueil {who} --remplacer.",
            style="yellow")
    elif plan.won_on is None and plan.dated:
        errors.print(
            f"Attention : « Statut depuis » est vide pour {p.name} : les échéances sont en "
            "jours (J+1, J+15…), sans dates. Notez-y la date de signature pour les avoir.",
            style="yellow")
    elif plan.won_on is None:
        errors.print(
            f"Attention : le suivi n'a pas de colonne « Statut depuis » où lire la date de "
            f"signature de {p.name} : les échéances sont en jours (J+1, J+15…), sans dates. "
            "Ajoutez cette colonne, avec la date de signature, pour les avoir.",
            style="yellow")
    if result.written:
        pack = ", pack d'accueil compris" if plan.welcome_pack else ""
        kind = "Markdown" if result.markdown else "PDF"
        console.print(f"Liste d'accueil de {p.name} écrite dans {result.path} ({kind} : "
                      f"{result.sections} section(s), {result.boxes} case(s) à cocher{pack}).")
    else:
        console.print(f"{result.path} est déjà à jour : laissé tel quel.")
    dated = [m for m in plan.milestones if m.when is not None]
    if dated:
        console.print("Relances de suivi : " + ", ".join(
            f"{format_date(m.when)} (J+{m.day})" for m in dated) + ".")
    if result.folder is not None:
        _client_folder(result.folder)
    if plan.trade is None:
        console.print("Astuce : --metier btp, commerce ou services met l'accent sur ce qui "
                      "compte dans votre métier.")


def _client_folder(folder: ClientFolder) -> None:
    """What --dossier made, and what it found and left alone."""
    made = [name for name in folder.created if name]
    kept = [name for name in folder.existing if name]
    if "" not in folder.created and not made:
        console.print(f"Dossier client déjà en place : {folder.path} (rien n'a été modifié).")
    elif not kept:
        console.print(f"Dossier client créé : {folder.path} ({', '.join(made)}).")
    else:
        console.print(f"Dossier client {folder.path} : créé(s) {', '.join(made)} ; déjà "
                      f"là, laissé(s) tel(s) quel(s) : {', '.join(kept)}.")


_LISTED = 20


"""Prospects added or completed shown one by one; the rest are counted."""


_REPORTED = 100


"""Ignored rows, conflicts and warnings shown one by one: each needs a look."""


def imported(result: Imported) -> None:
    """The counts first, then each row that needs a look: what was left out and why, and
    the values of the file that differ from the tracker's (kept)."""
    warn_problems(result.problems)
    plan, unit = result.plan, result.unit
    e = "e" if unit == "ligne" else ""  # lignes ajoutées, comptes ajoutés
    what = "de données" if unit == "ligne" else ""
    console.print(f"Lu : {result.source} ({result.detail}), "
                  f"{plural(result.rows, unit)} {what}".rstrip() + ".", soft_wrap=True)
    if result.simulated:
        console.print("Simulation : rien n'a été écrit.", style="bold")
        counts = (f"{len(plan.additions)} à ajouter, {len(plan.completed)} à compléter, "
                  f"{plural(len(plan.ignored), 'ignoré' + e)}")
    else:
        counts = (f"{plural(len(plan.additions), 'ajouté' + e)}, "
                  f"{plural(len(plan.completed), 'complété' + e)}, "
                  f"{plural(len(plan.ignored), 'ignoré' + e)}")
    if plan.unchanged:
        counts += f", {len(plan.unchanged)} déjà à jour"
    console.print(counts + ".")
    if result.simulated:
        added = [f"{unit} {line} : {p.name}{_planned(p)}" for line, p in plan.additions]
    else:
        lines = [line for line, _ in plan.additions]
        added = [f"{unit} {line} : {_ident(p)}{p.name} (ligne {p.row} du suivi){_planned(p)}"
                 for line, p in zip(lines, result.added, strict=True)]
    listed_lines("À ajouter :" if result.simulated else f"Ajouté{e}s :", added, _LISTED)
    listed_lines("À compléter :" if result.simulated else f"Complété{e}s :",
           [f"{unit} {line} : {name} : {', '.join(labels)}"
            for line, name, labels in plan.completed], _LISTED)
    listed_lines("Contacts à ajouter (feuille Contacts) :" if result.simulated
                 else "Contacts ajoutés (feuille Contacts) :",
                 [f"{_client(owner, plan, result)} : {described(person)}"
                  for owner, person in plan.people], _LISTED)
    if plan.exchanges:
        console.print(f"{plural(len(plan.exchanges), 'échange')} "
                      f"{'à ajouter' if result.simulated else 'ajouté(s)'} au Journal.")
    listed_lines(f"Ignoré{e}s :", [said(str(problem)) for row in plan.ignored
                                for problem in row.problems], _REPORTED)
    listed_lines("Conflits (la valeur du suivi est gardée, rien n'est écrasé) :",
           [f"{unit} {c.line} : {c.name}, {c.label} : « {c.kept} » {c.where}, « {c.offered} » "
            "dans le fichier" for c in plan.conflicts], _REPORTED)
    listed_lines("Avertissements :", [str(w) for w in plan.warnings], _REPORTED)
    if result.ignored_columns:
        console.print(f"Colonnes non importées : {', '.join(result.ignored_columns)} (pour en "
                      "importer une : --colonne \"En-tête=champ\").", soft_wrap=True)
    if plan.unplaced:
        console.print(f"Pas de colonne dans le suivi pour : {', '.join(plan.unplaced)} : "
                      "ajoutez ces colonnes à la feuille pour les importer.", soft_wrap=True)
    if plan.ignored:
        console.print("Corrigez les lignes ignorées dans le fichier et relancez l'import : "
                      "les prospects déjà importés ne seront pas dupliqués.", soft_wrap=True)
    if result.backup is not None:
        console.print(f"Version précédente sauvegardée : {result.backup.name}", soft_wrap=True)


def _client(owner: Prospect | int, plan: ImportPlan, result: Imported) -> str:
    """The client of an imported contact: one of the tracker, or one the file adds."""
    if not isinstance(owner, int):
        return owner.name
    return (plan.additions[owner][1] if result.simulated else result.added[owner]).name


def _ident(p: Prospect) -> str:
    return f"ID {p.id} — " if p.id is not None else ""


def _planned(p: Prospect) -> str:
    status = p.status.value if p.status else "Prospect"
    if p.next_followup is None:
        return f" ({status})"
    action = f" {p.action}" if p.action else ""
    return f" ({status}, relance{action} le {format_date(p.next_followup)})"


def exported(result: Exported) -> None:
    warn_problems(result.problems)
    console.print(f"{plural(result.prospects, 'prospect')} exporté(s) dans {result.path} "
                  f"({result.label}).", soft_wrap=True)
    if result.contacts_path is not None:
        console.print(f"{plural(result.people, 'contact')} exporté(s) dans "
                      f"{result.contacts_path} (HubSpot, contacts : à importer avec les "
                      "transactions, reliés à leur entreprise par son nom).", soft_wrap=True)
    hint = {
        "csv": "Ouvrez-le dans Excel ou LibreOffice : colonnes séparées par « ; », dates "
               "JJ/MM/AAAA, montants 8500,50.",
        "hubspot": "Dans HubSpot : Importer > Fichier de l'ordinateur > Plusieurs objets "
                   "(contacts, entreprises, transactions) ; les colonnes se reconnaissent "
                   "seules. Deal owner doit être l'email d'un utilisateur HubSpot.",
        "pipedrive": "Dans Pipedrive : Outils et applications > Importer des données > Depuis "
                     "une feuille de calcul ; les colonnes se reconnaissent seules.",
        "json": "Un compte par prospect : fiche, adresse, contacts, échanges, cadence. "
                "relances importer le relit dans un autre suivi sans perte.",
    }[result.format]
    console.print(hint, soft_wrap=True)
