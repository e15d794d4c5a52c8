"""The client account as one document: `voir --json`, `exporter --format json`, and
`importer` reading that file back without loss into another tracker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import STORY_DAY, Run, assert_refused, flat
from excel_files import user_tracker

ADDRESS = ("Adresse", "Code postal", "Ville", "Pays")
LILAS = ("12 rue des Lilas", "69003", "Lyon", "France")


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return flat(result.output)


def add_address_columns(path: Path, values: dict[int, tuple[str, ...]]) -> None:
    """The four headers typed by hand after the last column of Suivi, and a few rows'
    address."""
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    last = max(c.column for c in ws[1] if c.value is not None)
    for offset, header in enumerate(ADDRESS, start=1):
        ws.cell(1, last + offset, header)
        for row, address in values.items():
            ws.cell(row, last + offset, address[offset - 1])
    book.save(path)


def exported(run: Run, tracker: Path, name: str) -> dict[str, Any]:
    ok(run("exporter", "-f", str(tracker), "--format", "json", "--sortie", name))
    return json.loads(Path(name).read_text(encoding="utf-8"))


@pytest.fixture
def story(run: Run, example: Path) -> Path:
    """The example with an address, two people at Martin's and a call to Dupont today."""
    add_address_columns(example, {3: LILAS})
    ok(run("contact", "ajouter", "martin", "Claire Roux", "--civilite", "Mme", "--role",
           "Décideur", "--email", "c.roux@martin.fr", "--principal"))
    ok(run("contact", "ajouter", "martin", "Paul Roux", "--role", "Technique", "--tel",
           "06 11 22 33 44", "--note", "gère le chantier"))
    ok(run("maj", "dupont", "--canal", "Tel", "--resume", "Rappeler jeudi", "--issue",
           "interesse"))
    return example


def test_voir_json_is_the_whole_account(run: Run, story: Path) -> None:
    account = json.loads(ok(run("voir", "martin", "--json")))
    assert (account["id"], account["nom"], account["email"], account["telephone"]) == (
        1, "Martin Menuiserie", "m.martin@email.fr", "06 12 34 56 78")
    assert account["prenom"] == "Claire"  # whom the drafts greet: the principal contact
    assert account["adresse"] == dict(zip(("rue", "code_postal", "ville", "pays"), LILAS,
                                          strict=True))
    assert [(c["nom"], c["civilite"], c["role"], c["principal"]) for c in account["contacts"]] \
        == [("Claire Roux", "Mme", "Décideur", True), ("Paul Roux", None, "Technique", False)]
    assert account["contacts"][1]["notes"] == "gère le chantier"
    assert [(e["date"], e["canal"]) for e in account["echanges"]] == [
        ("2026-01-10", "Devis"), ("2026-01-05", "Visite")]  # newest first
    assert account["cadence"] == {
        "etape": 1, "etapes": 4, "a_decider": False, "prochaine_relance": "2026-01-13",
        "action": "Email", "conseil": "Demander si le devis a pu être consulté",
        "modele": "devis-consulte"}
    dupont = json.loads(ok(run("voir", "dupont", "--json")))
    assert dupont["echanges"][0] == {
        "date": STORY_DAY.isoformat(), "canal": "Tel", "resume": "Rappeler jeudi",
        "issue": "intéressé", "statut": "Prospect", "probabilite": 0.3,
        "responsable": "Claire", "prochaine_relance": dupont["prochaine_relance"]}
    assert (dupont["probabilite"], dupont["responsable"]) == (0.3, "Claire")
    assert dupont["interlocuteur"] == "M. Dupont" and dupont["prenom"] is None
    assert dupont["adresse"]["ville"] is None


def test_without_address_columns_the_account_has_no_address(run: Run, example: Path) -> None:
    account = json.loads(ok(run("voir", "leroy", "--json")))
    assert "adresse" not in account and account["contacts"] == []
    assert account["ligne"] == 6 and account["statut"] == "Négociation"


def test_export_then_import_gives_the_same_accounts(run: Run, story: Path,
                                                    tmp_path: Path) -> None:
    first = exported(run, story, "comptes.json")
    lines = sum(1 for row in openpyxl.load_workbook(story)["Journal"].iter_rows(
        min_row=2, values_only=True) if row[0] is not None)
    assert sum(len(a["echanges"]) for a in first["comptes"]) == lines
    assert (first["format"], first["version"], first["exporte_le"]) == (
        "relances-comptes", 1, STORY_DAY.isoformat())
    assert len(first["comptes"]) == 10
    other = tmp_path / "autre.xlsx"
    ok(run("init", "-f", str(other)))
    add_address_columns(other, {})
    out = ok(run("importer", "comptes.json", "-f", str(other)))
    assert "Lu : comptes.json (comptes relances, JSON), 10 comptes." in out
    assert "10 ajoutés, 0 complété, 0 ignoré." in out
    assert "compte 2 : ID 1 — Martin Menuiserie (ligne 3 du suivi)" in out
    assert f"{lines} échanges ajouté(s) au Journal." in out
    second = exported(run, other, "encore.json")
    assert second == first

    contacts = list(openpyxl.load_workbook(other)["Contacts"].iter_rows(values_only=True))
    assert contacts[1][:3] == (1, "Claire Roux", "Mme")
    again = ok(run("importer", "comptes.json", "-f", str(other)))
    assert "0 ajouté, 0 complété, 0 ignoré, 10 déjà à jour." in again
    assert "Journal" not in again and exported(run, other, "trois.json") == first


def test_ids_taken_in_the_tracker_are_given_anew(run: Run, story: Path,
                                                 tmp_path: Path) -> None:
    exported(run, story, "comptes.json")
    other = tmp_path / "autre.xlsx"
    ok(run("init", "-f", str(other)))
    for name in ("Alpha", "Bravo", "Charlie"):  # IDs 1 to 3
        ok(run("ajouter", name, "-f", str(other)))
    out = ok(run("importer", "comptes.json", "-f", str(other)))
    # 4 to 10 are free and kept; 1, 2 and 3 come after the highest: 11, 12, 13.
    assert "10 ajoutés" in out and "compte 1 : ID 6 — Copropriété Les Tilleuls" in out
    assert "compte 2 : ID 11 — Martin Menuiserie" in out
    assert "compte 5 : ID 12 — Cabinet Leroy Architectes" in out
    martin = json.loads(ok(run("voir", "martin", "--json", "-f", str(other))))
    assert martin["id"] == 11 and len(martin["echanges"]) == 2
    assert [c["nom"] for c in martin["contacts"]] == ["Claire Roux", "Paul Roux"]
    journal = openpyxl.load_workbook(other)["Journal"]
    assert {row[1] for row in journal.iter_rows(min_row=2, values_only=True)
            if row[2] == "Martin Menuiserie"} == {11}


def test_a_tracker_without_the_columns_says_what_it_cannot_keep(
        run: Run, story: Path, tmp_path: Path) -> None:
    exported(run, story, "comptes.json")
    other = tmp_path / "autre.xlsx"
    ok(run("init", "-f", str(other)))
    out = ok(run("importer", "comptes.json", "-f", str(other), "--simulation"))
    assert "Simulation : rien n'a été écrit." in out
    assert "14 échanges à ajouter au Journal." in out  # 13 in the example, 1 by maj
    assert "Pas de colonne dans le suivi pour : Adresse, Code postal, Ville, Pays" in out


def test_the_users_own_tracker_exports_and_imports_back(run: Run, tmp_path: Path) -> None:
    own = user_tracker(tmp_path / "suivi.xlsx")
    first = exported(run, own, "comptes.json")
    other = tmp_path / "autre.xlsx"
    ok(run("init", "-f", str(other)))
    ok(run("importer", "comptes.json", "-f", str(other)))
    second = exported(run, other, "encore.json")
    for before, after in zip(first["comptes"], second["comptes"], strict=True):
        given = {k: v for k, v in before.items()
                 if v is not None and k not in ("ligne", "cadence")}
        assert {k: after[k] for k in given} == given


def test_one_bad_account_is_left_out_with_its_reason(run: Run, story: Path,
                                                     tmp_path: Path) -> None:
    document = exported(run, story, "comptes.json")
    document["comptes"][0]["statut"] = "Peut-être"
    document["comptes"][1]["montant"] = "beaucoup"
    document["comptes"][2]["echanges"][0]["date"] = None
    Path("comptes.json").write_text(json.dumps(document), encoding="utf-8")
    other = tmp_path / "autre.xlsx"
    ok(run("init", "-f", str(other)))
    out = ok(run("importer", "comptes.json", "-f", str(other)))
    assert "8 ajoutés, 0 complété, 2 ignorés." in out
    assert "comptes.json, compte 1 : statut : « Peut-être » n'est pas un statut connu" in out
    assert "comptes.json, compte 2 : montant : « beaucoup » ne se lit pas ici" in out
    assert "compte 3 : echanges : un échange sans date est laissé de côté" in out


@pytest.mark.parametrize(("content", "phrase"), [
    ("{\"format\": ", "n'est pas un JSON valide"),
    ("{\"clients\": []}", "n'est pas un fichier de comptes de relances"),
    ("{\"format\": \"relances-comptes\", \"version\": 9, \"comptes\": []}",
     "vient d'une version plus récente de relances"),
    ("{\"format\": \"relances-comptes\", \"version\": 1, \"comptes\": []}",
     "ne contient aucun compte : rien n'a été importé"),
])
def test_a_file_that_is_not_an_accounts_file_changes_nothing(
        run: Run, example: Path, content: str, phrase: str) -> None:
    Path("comptes.json").write_text(content, encoding="utf-8")
    before = example.read_bytes()
    assert_refused(run("importer", "comptes.json"), 2, phrase)
    assert example.read_bytes() == before


def test_options_that_do_not_apply_are_refused(run: Run, story: Path) -> None:
    exported(run, story, "comptes.json")
    assert_refused(run("importer", "comptes.json", "--feuille", "Suivi"), 2,
                   "est un fichier de comptes JSON", "retirez --feuille")
    assert_refused(run("exporter", "--format", "json", "--sortie", "comptes.csv"), 2,
                   "doit être un fichier .json")
    ok(run("exporter", "--format", "json"))
    assert Path(f"relances-comptes-{STORY_DAY.isoformat()}.json").is_file()
