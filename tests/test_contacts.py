"""Several contacts per client: `relances contact ajouter/liste/retirer`, the card of
`voir`, and the drafts written to the principal contact, else the decision maker."""

from __future__ import annotations

import csv
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


# --------------------------------------------------------------------------- import, export

TWO_CONTACTS = (
    "Nom;Contact;Email;Statut;Contact 2;Email 2;Téléphone 2;Rôle 2;Poste 2\n"
    "Atelier Roux;Claire Roux;claire@roux.fr;Devis envoyé;Paul Durand;p.durand@roux.fr;"
    "0612345678;Technique;Conducteur de travaux\n"
    "Café Noël;;cafe@noel.fr;Prospect;;;;;\n")
HUBSPOT_CONTACTS = (
    "First Name,Last Name,Email,Phone Number,Company Name,Job Title\n"
    "Jean,Dupont,jean@abc.fr,0102030405,ABC Company,Directeur\n"
    "Marie,Curie,marie@abc.fr,,ABC Company,Acheteuse\n"
    "Paul,Seul,paul@xyz.fr,,XYZ Corp,\n")


def test_a_csv_with_contact_2_columns_fills_the_contacts_sheet(
        run: Run, tracker_path: Path) -> None:
    ok(run("init"))
    source = tracker_path.parent / "deux.csv"
    source.write_text(TWO_CONTACTS, encoding="utf-8")
    before = tracker_path.read_bytes()
    simulated = ok(run("importer", str(source), "--simulation"))
    assert "Contacts à ajouter (feuille Contacts) : Atelier Roux : Claire Roux — " \
        "claire@roux.fr Atelier Roux : Paul Durand (Technique, Conducteur de travaux)" in simulated
    assert tracker_path.read_bytes() == before
    out = ok(run("importer", str(source)))
    assert "Contacts ajoutés (feuille Contacts) :" in out
    assert sheet(tracker_path)[1:] == [
        (1, "Claire Roux", None, None, "claire@roux.fr", None, None, None, "non", None),
        (1, "Paul Durand", None, "Conducteur de travaux", "p.durand@roux.fr",
         "06 12 34 56 78", None, "Technique", "non", None)]
    roux_card = ok(run("voir", "roux"))
    assert "Interlocuteur Claire Roux" in roux_card  # the first contact also speaks for it
    # Importing the same file again adds nobody.
    again = ok(run("importer", str(source)))
    assert "Contacts ajoutés" not in again
    assert len(sheet(tracker_path)) == 3


def test_a_hubspot_contacts_export_gives_each_company_its_people(
        run: Run, tracker_path: Path) -> None:
    ok(run("init"))
    source = tracker_path.parent / "hubspot-contacts.csv"
    source.write_text(HUBSPOT_CONTACTS, encoding="utf-8")
    out = ok(run("importer", str(source)))
    assert "Conflits" not in out  # Marie's email is hers, not ABC Company's
    listed = {c["client"]: [(p["nom"], p["poste"], p["email"]) for p in c["contacts"]]
              for c in json.loads(run("contact", "liste", "--json").stdout)}
    assert listed == {"ABC Company": [("Jean Dupont", "Directeur", "jean@abc.fr"),
                                      ("Marie Curie", "Acheteuse", "marie@abc.fr")]}
    # A company with one person keeps it in Suivi, as before.
    xyz = json.loads(run("voir", "xyz", "--json").stdout)
    assert (xyz["interlocuteur"], xyz["email"]) == ("Paul Seul", "paul@xyz.fr")


def test_exporter_hubspot_writes_the_contacts_beside_the_deals(
        run: Run, example: Path) -> None:
    roux(run)
    durand(run, "--principal")
    out = ok(run("exporter", "--format", "hubspot", "--sortie", "hubspot.csv"))
    with (example.parent / "hubspot.csv").open(encoding="utf-8", newline="") as stream:
        deals = list(csv.reader(stream))
    people = (example.parent / "hubspot-contacts.csv").read_text("utf-8").splitlines()
    assert "11 contacts exporté(s) dans hubspot-contacts.csv" in out  # 2 for Martin, 9 others
    header = deals[0]
    martin = next(row for row in deals if row[0].startswith("Martin Menuiserie"))
    assert (martin[header.index("First Name")], martin[header.index("Last Name")],
            martin[header.index("Email")]) == ("Paul", "Durand", "p.durand@martin.fr")
    assert people[0] == ("First Name,Last Name,Salutation,Job Title,Email,Phone Number,"
                         "Mobile Phone Number,Company Name")
    assert "Paul,Durand,,,p.durand@martin.fr,,06 98 76 54 32,Martin Menuiserie" in people
    assert "Claire,Roux,Mme,Gérante,c.roux@martin.fr,06 12 34 56 78,,Martin Menuiserie" in people
    # A client without Contacts rows gives its Interlocuteur.
    assert any(line.endswith(",Société Dupont SAS") for line in people)
