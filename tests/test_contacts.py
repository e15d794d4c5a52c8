"""Several contacts per client: `relances contact ajouter/liste/retirer`, the card of
`voir`, and the drafts written to the principal contact, else the decision maker."""

from __future__ import annotations

import json
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, STORY_DAY, Run, assert_refused, flat, make_workbook

HEADER = ("ID client", "Nom", "Civilité", "Poste", "Email", "Téléphone", "Mobile", "Rôle",
          "Principal", "Notes")
WEEK = "emails-semaine-04"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return flat(result.output)


def sheet(path: Path) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)["Contacts"].iter_rows(values_only=True))


def roux(run: Run, *more: str) -> str:
    return ok(run("contact", "ajouter", "martin", "Claire Roux", "--civilite", "Mme",
                  "--role", "decideur", "--poste", "Gérante", "--email", "c.roux@martin.fr",
                  "--tel", "0612345678", *more))


def durand(run: Run, *more: str) -> str:
    return ok(run("contact", "ajouter", "martin", "Paul Durand", "--role", "Technique",
                  "--mobile", "06 98 76 54 32", "--email", "p.durand@martin.fr", *more))


def message(path: Path) -> EmailMessage:
    with path.open("rb") as stream:
        parsed = BytesParser(policy=policy.default).parse(stream)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_added_listed_and_removed(run: Run, example: Path) -> None:
    assert "Contacts" not in openpyxl.load_workbook(example).sheetnames
    out = roux(run)
    assert "Contact ajouté chez Martin Menuiserie : Mme Claire Roux (Décideur, Gérante)" in out
    durand(run, "--principal")
    ok(run("contact", "ajouter", "dupont", "Anne Dupont", "--note", "assistante"))
    assert sheet(example) == [
        HEADER,
        (1, "Claire Roux", "Mme", "Gérante", "c.roux@martin.fr", "06 12 34 56 78", None,
         "Décideur", "non", None),
        (1, "Paul Durand", None, None, "p.durand@martin.fr", None, "06 98 76 54 32",
         "Technique", "oui", None),
        (2, "Anne Dupont", None, None, None, None, None, None, "non", "assistante")]
    # A new principal takes the place of the previous one.
    roux_again = ok(run("contact", "ajouter", "martin", "Jean Roux", "--principal"))
    assert "contact principal" in roux_again
    assert [row[8] for row in sheet(example)[1:]] == ["non", "non", "non", "oui"]

    listed = json.loads(run("contact", "liste", "martin", "--json").stdout)
    assert [(c["nom"], c["principal"], c["role"]) for c in listed[0]["contacts"]] == [
        ("Jean Roux", True, None), ("Claire Roux", False, "Décideur"),
        ("Paul Durand", False, "Technique")]
    everyone = ok(run("contact", "liste"))
    assert everyone.index("1 — Martin Menuiserie") < everyone.index("2 — Société Dupont SAS")

    out = ok(run("contact", "retirer", "martin", "durand"))
    assert "Contact retiré de Martin Menuiserie : Paul Durand (Technique)" in out
    # The lines below move up: no gap is left in the sheet.
    assert [row[1] for row in sheet(example)] == ["Nom", "Claire Roux", "Anne Dupont",
                                                  "Jean Roux"]
    assert len(list(openpyxl.load_workbook(example)["Contacts"].iter_rows())) == 4


def test_voir_shows_the_contacts_under_the_card(run: Run, example: Path) -> None:
    roux(run)
    durand(run)
    card = ok(run("voir", "martin"))
    contacts = card[card.index("Contacts"):]
    assert contacts.startswith("Contacts Mme Claire Roux (Décideur, Gérante) — 06 12 34 56 78 "
                               "— c.roux@martin.fr Paul Durand (Technique)")
    assert "Contacts" not in ok(run("voir", "dupont"))


@pytest.mark.parametrize(("args", "code", "phrase"), [
    (("ajouter", "martin", "X", "--role", "chef"), 2,
     "--role : « chef » n'est pas un rôle connu (Décideur, Technique, Facturation, "
     "Observateur)"),
    (("ajouter", "martin", "X", "--email", "pas-un-email"), 2, "--email"),
    (("ajouter", "inconnu", "X"), 6, "Aucun prospect ne correspond à « inconnu »"),
    (("ajouter", "martin", "Claire  roux"), 2,
     "Martin Menuiserie a déjà un contact « Claire roux » : retirez-le d'abord"),
    (("retirer", "martin", "Zoé"), 6,
     "Martin Menuiserie n'a pas de contact « Zoé » (contacts : « Claire Roux »)"),
    (("ajouter", "martin", "X", "--tel", "12"), 2, "--tel"),
])
def test_bad_input_leaves_the_workbook_as_it_was(run: Run, example: Path, args: tuple[str, ...],
                                                 code: int, phrase: str) -> None:
    roux(run)
    before = example.read_bytes()
    assert_refused(run("contact", *args), code, phrase)
    assert example.read_bytes() == before


def test_the_email_goes_to_the_principal_else_the_decision_maker(
        run: Run, example: Path) -> None:
    durand(run)  # a technical contact alone changes nothing: Suivi's Contact column stays
    ok(run("emails"))
    draft = example.parent / WEEK / "1-martin-menuiserie.eml"
    assert message(draft)["To"].addresses[0].addr_spec == "m.martin@email.fr"

    roux(run)  # the decision maker
    ok(run("emails", "--remplacer"))
    sent = message(draft)
    assert (sent["To"].addresses[0].display_name, sent["To"].addresses[0].addr_spec) == (
        "Mme Roux", "c.roux@martin.fr")
    assert sent.get_content().startswith("Bonjour Madame Roux,")

    ok(run("contact", "retirer", "martin", "durand"))
    durand(run, "--principal")
    ok(run("emails", "--remplacer"))
    sent = message(draft)
    assert sent["To"].addresses[0].addr_spec == "p.durand@martin.fr"
    assert sent.get_content().startswith("Bonjour Paul Durand,")


def test_a_call_script_says_whom_to_ask_for_and_lists_the_others(
        run: Run, example: Path) -> None:
    ok(run("contact", "ajouter", "tilleuls", "Henri Blanc", "--civilite", "M.", "--role",
           "Décideur", "--poste", "Président du conseil syndical", "--tel", "0611223344"))
    ok(run("contact", "ajouter", "tilleuls", "Cabinet Gestimmo", "--role", "Facturation",
           "--email", "compta@gestimmo.fr"))
    ok(run("emails"))
    script = (example.parent / WEEK / "6-copropriete-les-tilleuls-appel.txt").read_text("utf-8")
    assert script.startswith("APPEL — Copropriété Les Tilleuls — 06 11 22 33 44\n")
    assert "Demander : M. Henri Blanc (Décideur, Président du conseil syndical)\n" in script
    assert ("Autres contacts :\n  - Cabinet Gestimmo (Facturation) — compta@gestimmo.fr\n"
            in script)
    assert "« Je suis bien avec Monsieur Blanc ? »" in script


def test_a_contacts_sheet_typed_by_hand_in_a_tracker_without_ids(
        run: Run, tracker_path: Path) -> None:
    """No ID column: people are tied to the client by its name; the user's own column
    order and headers (« Tel », « Fonction ») are read, an unknown role is reported."""
    make_workbook(tracker_path, {
        "Suivi": [list(LIGHT_HEADERS),
                  ["Atelier Roux", "contact@roux.fr", "Devis envoyé", 4000, STORY_DAY,
                   STORY_DAY, None]],
        "Contacts": [["Nom", "ID client", "Fonction", "Tel", "Rôle", "Principal", "Email"],
                     ["Mme Roux", "atelier roux", "Gérante", "06 01 02 03 04", "Décideur",
                      "x", "s.roux@roux.fr"],
                     ["Bob", "Atelier Roux", None, None, "stagiaire", None, None]],
    })
    listed = json.loads(run("contact", "liste", "--json").stdout)
    assert [(c["nom"], c["poste"], c["telephone"], c["role"], c["principal"])
            for c in listed[0]["contacts"]] == [
        ("Mme Roux", "Gérante", "06 01 02 03 04", "Décideur", True), ("Bob", None, None, None,
                                                                     False)]
    problems = flat(run("verifier").output)
    assert "Contacts, ligne 3, colonne Rôle : « stagiaire » n'est pas un rôle connu" in problems
    # A contact added to such a tracker names its client, in the sheet's own columns; the
    # fields it lacked get their header after the user's.
    ok(run("contact", "ajouter", "roux", "Léa Martin", "--civilite", "Mme", "--mobile",
           "0601020304"))
    header, *_, added = sheet(tracker_path)
    assert header == ("Nom", "ID client", "Fonction", "Tel", "Rôle", "Principal", "Email",
                      "Civilité", "Mobile", "Notes")
    assert added == ("Léa Martin", "Atelier Roux", None, None, None, "non", None, "Mme",
                     "06 01 02 03 04", None)
