"""Zero-loss writes, on the tracker a user made in Excel 365 (tests/excel_files.py).

For every write command: the parts relances did not mean to change are byte-identical;
in the parts it changed, an XML comparison shows nothing outside the cells, rows and
ranges it owns (each change is listed here, word for word); every feature of the file
is still there; every XML part it wrote validates against the ECMA-376 schemas; and
LibreOffice opens and recalculates the results with the expected values.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import STORY_DAY, Run, flat
from excel_files import COMMENT_ID, NOTE_TEXT, PERSON_ID, THREADED_TEXT, user_tracker
from lxml import etree
from package_diff import compare, parts, xml_changes

CSV = "Nom;Email;Montant;Statut\nGarage Moreau;garage.moreau@free.fr;9800;Prospect\n" \
      "Martin Menuiserie;m.martin@email.fr;;\nCave Dubois;cave@dubois.fr;3000;Devis envoyé\n"
SUIVI = "xl/worksheets/sheet1.xml"
CALC = "xl/worksheets/sheet2.xml"
PROPERTY = ["/Properties: <property> added"]
"""docProps/custom.xml gains relances' format version beside the user's property."""
NEW_SHEET = {"[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
             "xl/workbook.xml"}


def _grown(last: int) -> dict[str, list[str]]:
    """What growing the data from row 7 to row `last` changes outside Suivi's rows."""
    return {
        "docProps/custom.xml": PROPERTY,
        "xl/pivotCache/pivotCacheDefinition1.xml": [
            f"/pivotCacheDefinition/cacheSource/worksheetSource@ref: 'D3:E7' -> 'D3:E{last}'"],
        "xl/tables/table1.xml": [f"/table@ref: 'A3:I8' -> 'A3:I{last + 1}'",
                                 f"/table/autoFilter@ref: 'A3:I7' -> 'A3:I{last}'"],
        "xl/workbook.xml": [
            f"/workbook/definedNames/definedName: 'Suivi!$E$4:$E$7' -> 'Suivi!$E$4:$E${last}'",
            f"/workbook/definedNames/definedName: 'Suivi!$A$1:$K$8' -> "
            f"'Suivi!$A$1:$K${last + 1}'"],
        SUIVI: [
            f"/worksheet/dimension@ref: 'A1:K8' -> 'A1:K{last + 1}'",
            f"E{last + 1}: ((('s', '2'),), (('f', None, None, 'SUBTOTAL(109,TableauSuivi["
            f"Montant estimé])'), ('v', None, None, '0'))) -> ((('s', '2'),), (('f', None, "
            f"None, 'SUBTOTAL(109,TableauSuivi[Montant estimé])'),))",
            *(f"row {row}: added" for row in range(8, last + 1)),
            f"/worksheet/conditionalFormatting@sqref: 'E4:E7' -> 'E4:E{last}'",
            f"/worksheet/extLst/ext/dataValidations/dataValidation/sqref: 'D4:D7' -> "
            f"'D4:D{last}'",
            f"/worksheet/extLst/ext/conditionalFormattings/conditionalFormatting/sqref: "
            f"'E4:E7' -> 'E4:E{last}'"],
        CALC: [f"A3: ((), (('f', None, None, 'SUM(Suivi!E4:E7)'), ('v', None, None, "
               f"'27700'))) -> ((), (('f', None, None, 'SUM(Suivi!E4:E{last})'),))"],
    }


def _below(count: int) -> Callable[[int], int]:
    return lambda row: row + count if row >= 8 else row


SORTED = {4: 7, 7: 4}
"""planifier dates Boulangerie Petit (row 7) 20/01: it goes first, Martin (23/01) last."""


COMMANDS: dict[str, tuple[tuple[str, ...], Callable[[int], int], dict[str, list[str]],
                          set[str]]] = {
    "ajouter": (("ajouter", "Garage Moreau", "--montant", "9800"), _below(1), _grown(8),
                set()),
    "importer": (("importer", "import.csv"), _below(2), _grown(9), set()),
    "maj": (("maj", "martin", "--canal", "Tel", "--resume", "Devis relu ensemble",
             "--issue", "interesse"), lambda row: row, {
        "docProps/custom.xml": PROPERTY,
        SUIVI: ["G4: ((('s', '4'),), (('v', None, None, '46032'),)) -> ((('s', '4'),), "
                "(('v', None, None, '46042'),))"],
        "[Content_Types].xml": ["/Types: <Override> added"],
        "xl/_rels/workbook.xml.rels": ["/Relationships: <Relationship> added"],
        "xl/workbook.xml": ["/workbook/sheets: <sheet> added",
                            "/workbook/definedNames: <definedName> added"],
    }, {"xl/worksheets/sheet5.xml"}),
    # Won and scored at once: the Satisfaction column goes right of the user's last header
    # (their own column K, outside the Table), and its colour rules before their data bar.
    "satisfaction": (("maj", "martin", "--canal", "Tel", "--issue", "gagne", "--satisfaction",
                      "5", "--resume", "Pose terminée, ravi"), lambda row: row, {
        "docProps/custom.xml": PROPERTY,
        SUIVI: ["/worksheet: <cols> added", "L3: added",
                "D4: ((('t', 's'),), (('v', None, None, '13'),)) -> ((('t', 'inlineStr'),), "
                "(('is', None, None, 'Gagné'),))",
                "F4: ((('s', '3'),), (('v', None, None, '0.5'),)) -> ((('s', '3'),), "
                "(('v', None, None, '1'),))",
                "G4: ((('s', '4'),), (('v', None, None, '46032'),)) -> ((('s', '4'),), "
                "(('v', None, None, '46042'),))",
                "H4: ((('s', '4'),), (('v', None, None, '46045'),)) -> ((('s', '4'),), "
                "(('v', None, None, '46057'),))",
                "L4: added",
                "/worksheet: <conditionalFormatting> added",
                "/worksheet/conditionalFormatting/cfRule@priority: '1' -> '4'"],
        "[Content_Types].xml": ["/Types: <Override> added"],
        "xl/_rels/workbook.xml.rels": ["/Relationships: <Relationship> added"],
        "xl/workbook.xml": ["/workbook/sheets: <sheet> added",
                            "/workbook/definedNames: <definedName> added"],
    }, {"xl/worksheets/sheet5.xml"}),
    "contact": (("contact", "ajouter", "martin", "Claire Roux", "--civilite", "Mme", "--role",
                 "Décideur", "--principal"), lambda row: row, {
        "docProps/custom.xml": PROPERTY,
        "[Content_Types].xml": ["/Types: <Override> added"],
        "xl/_rels/workbook.xml.rels": ["/Relationships: <Relationship> added"],
        "xl/workbook.xml": ["/workbook/sheets: <sheet> added",
                            "/workbook/definedNames: <definedName> added"],
    }, {"xl/worksheets/sheet5.xml"}),
    "planifier": (("planifier",), lambda row: SORTED.get(row, row), {
        "docProps/custom.xml": PROPERTY,
        "xl/comments1.xml": ["/comments/commentList/comment@ref: 'B4' -> 'B7'",
                             "/comments/commentList/comment@ref: 'B7' -> 'B4'"],
        "xl/threadedComments/threadedComment1.xml": [
            "/ThreadedComments/threadedComment@ref: 'B7' -> 'B4'"],
        SUIVI: [
            "H4: added",
            "/worksheet/hyperlinks/hyperlink@ref: 'I4' -> 'I7'",
            "/worksheet/extLst/ext/sparklineGroups/sparklineGroup/sparklines/sparkline/f: "
            "'Suivi!E7:F7' -> 'Suivi!E4:F4'",
            "/worksheet/extLst/ext/sparklineGroups/sparklineGroup/sparklines/sparkline/"
            "sqref: 'K7' -> 'K4'",
            "/worksheet/extLst/ext/sparklineGroups/sparklineGroup/sparklines/sparkline/f: "
            "'Suivi!E4:F4' -> 'Suivi!E7:F7'",
            "/worksheet/extLst/ext/sparklineGroups/sparklineGroup/sparklines/sparkline/"
            "sqref: 'K4' -> 'K7'"],
    }, set()),
    "analyse": (("analyse",), lambda row: row, {
        "docProps/custom.xml": PROPERTY,
        "[Content_Types].xml": ["/Types: <Override> added"] * 6,
        "xl/_rels/workbook.xml.rels": ["/Relationships: <Relationship> added"],
        "xl/workbook.xml": ["/workbook/sheets: <sheet> added",
                            "/workbook/definedNames: <definedName> added"],
    }, {"xl/charts/chart2.xml", "xl/charts/chart3.xml", "xl/charts/chart4.xml",
        "xl/charts/chart5.xml",
        "xl/drawings/drawing2.xml", "xl/drawings/_rels/drawing2.xml.rels",
        "xl/worksheets/sheet5.xml", "xl/worksheets/_rels/sheet5.xml.rels"}),
}
"""Each command: its arguments, where each row of Suivi goes, the exact changes in each
part it changes, and the parts it adds. styles.xml and the VML of notes are checked
apart (new styles are appended; the VML is not XML)."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return user_tracker(tmp_path_factory.mktemp("corpus") / "suivi.xlsx")


@pytest.fixture(scope="module")
def results(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each write command run once through the real CLI, on its own copy of the corpus."""
    from typer.testing import CliRunner

    from relances.cli import app

    done = {}
    for name, (args, *_) in COMMANDS.items():
        folder = tmp_path_factory.mktemp(name)
        path = folder / "suivi.xlsx"
        shutil.copy(corpus, path)
        (folder / "import.csv").write_text(CSV, encoding="utf-8")
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            result = CliRunner().invoke(app, [*args, "-f", str(path)],
                                        env={"RELANCES_AUJOURDHUI": STORY_DAY.isoformat()})
        finally:
            os.chdir(cwd)
        assert result.exit_code == 0, (name, result.output)
        done[name] = path
    return done


@pytest.mark.parametrize("command", COMMANDS)
def test_a_write_changes_only_what_it_owns(command: str, corpus: Path,
                                           results: dict[str, Path]) -> None:
    _, rows, expected, added = COMMANDS[command]
    before, after = parts(corpus), parts(results[command])
    comparison = compare(before, after)
    looked_apart = {"xl/styles.xml", "xl/drawings/vmlDrawing1.vml"}
    assert comparison.removed == set()
    assert comparison.added == added
    assert comparison.changed - looked_apart == set(expected)
    for name, changes in expected.items():
        moved = rows if name == SUIVI else (lambda row: row)
        assert xml_changes(before[name], after[name], moved) == changes, name
    if "xl/styles.xml" in comparison.changed:
        styles = xml_changes(before["xl/styles.xml"], after["xl/styles.xml"])
        assert all(line.endswith(" added") or "@count:" in line for line in styles), styles


@pytest.mark.parametrize("command", COMMANDS)
def test_every_feature_is_still_there(command: str, results: dict[str, Path],
                                      run: Run) -> None:
    path = results[command]
    files = parts(path)
    sheet = files[SUIVI].decode()
    assert THREADED_TEXT in files["xl/threadedComments/threadedComment1.xml"].decode()
    assert f'id="{COMMENT_ID}"' in files["xl/threadedComments/threadedComment1.xml"].decode()
    assert PERSON_ID in files["xl/persons/person.xml"].decode()
    assert "threadedComment" in files["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    assert NOTE_TEXT in files["xl/comments1.xml"].decode()
    assert "<x:Visible/>" in files["xl/drawings/vmlDrawing1.vml"].decode()
    assert "<c:userShapes" in files["xl/charts/chart1.xml"].decode()
    assert "<c:style " in files["xl/charts/chart1.xml"].decode()
    assert "Objectif : 20 h" in files["xl/drawings/drawing9.xml"].decode()
    drawing = files["xl/drawings/drawing1.xml"].decode()
    assert "hlinkClick" in drawing and 'prst="ellipse"' in drawing and "Penser" in drawing
    assert "https://www.example.fr/" in files["xl/drawings/_rels/drawing1.xml.rels"].decode()
    assert "sparklineGroup" in sheet and "dataBar" in sheet and "x14:dataValidation" in sheet
    assert 'totalsRowCount="1"' in files["xl/tables/table1.xml"].decode()
    assert "<f>Calc!A1*2</f><v>10000</v>" in sheet
    assert "sheetProtection" in files[CALC].decode()
    assert files["customXml/item1.xml"].startswith(b"<?xml") and "externalLink1.xml" in files[
        "xl/_rels/workbook.xml.rels"].decode()
    assert "pivotTableDefinition" in files["xl/pivotTables/pivotTable1.xml"].decode()
    workbook = files["xl/workbook.xml"].decode()
    assert all(name in workbook for name in ("Montants", "_xlnm.Print_Area",
                                             "_xlnm.Print_Titles", "externalReference"))
    assert "Service" in files["docProps/custom.xml"].decode()
    listed = json.loads(run("liste", "--json", "-f", str(path)).stdout)
    assert {p["nom"]: p["montant"] for p in listed}["Hôtel du Lac"] == 10000
    assert "Total" not in {p["nom"] for p in listed}
    book = openpyxl.load_workbook(path)
    table = book["Suivi"].tables["TableauSuivi"]
    last = int(table.ref.split(":")[1][1:])
    assert book["Suivi"][f"E{last}"].value == "=SUBTOTAL(109,TableauSuivi[Montant estimé])"
    assert book["Suivi"][f"A{last}"].value == "Total"


def test_the_new_row_looks_like_the_one_above(results: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(results["ajouter"])["Suivi"]
    assert [c.value for c in ws[8]][:8] == [5, "Garage Moreau", None, "Prospect", 9800, 0.1,
                                           ws["G8"].value, ws["H8"].value]
    assert [ws.cell(row=8, column=c).number_format for c in (5, 6, 7, 8)] == [
        ws.cell(row=7, column=c).number_format for c in (5, 6, 7)] + ["dd/mm/yyyy"]


def test_annuler_gives_the_file_back_byte_for_byte(corpus: Path, tmp_path: Path,
                                                   run: Run) -> None:
    path = tmp_path / "suivi.xlsx"
    shutil.copy(corpus, path)
    assert run("ajouter", "Garage Moreau", "-f", str(path)).exit_code == 0
    assert path.read_bytes() != corpus.read_bytes()
    assert run("annuler", "-f", str(path)).exit_code == 0
    assert path.read_bytes() == corpus.read_bytes()


def test_untouched_parts_keep_their_compressed_bytes(corpus: Path,
                                                     results: dict[str, Path]) -> None:
    """Not only the same content: the very bytes of the zip entry are copied."""
    with zipfile.ZipFile(corpus) as before, zipfile.ZipFile(results["ajouter"]) as after:
        for name in ("xl/media/image1.png", "xl/theme/theme1.xml", "customXml/item1.xml"):
            a, b = before.getinfo(name), after.getinfo(name)
            assert (a.CRC, a.compress_size, a.compress_type) == (
                b.CRC, b.compress_size, b.compress_type)


# --------------------------------------------------------------------------- schemas


SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "ooxml-xsd"
_SCHEMA_OF = {
    "worksheet": "sml.xsd", "styleSheet": "sml.xsd", "workbook": "sml.xsd", "table": "sml.xsd",
    "comments": "sml.xsd", "pivotCacheDefinition": "sml.xsd", "chartSpace": "dml-chart.xsd",
    "wsDr": "dml-spreadsheetDrawing.xsd", "Types": "opc-xsd/opc-contentTypes.xsd",
    "Relationships": "opc-xsd/opc-relationships.xsd",
    "Properties": "shared-documentPropertiesCustom.xsd",
}


_MICROSOFT_ONLY = {"ThreadedComments"}
"""Parts Excel 365 adds that ECMA-376 does not define ([MS-XLSX]): no schema to check."""


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    if not SCHEMAS.is_dir():
        pytest.skip("ECMA-376 schemas absent (../shared/ooxml-xsd)")
    return {name: etree.XMLSchema(etree.parse(str(SCHEMAS / name)))
            for name in set(_SCHEMA_OF.values())}


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def compatible(root: etree._Element) -> etree._Element:
    """The part as a reader of the standard sees it (ECMA-376 part 3, markup
    compatibility): what the file declares ignorable (mc:Ignorable="x14ac xr") is
    dropped, an mc:AlternateContent keeps its Fallback. Excel's own files need this
    before they validate; so does xml:space="preserve", which Excel writes on text the
    schemas type as a plain string (every XML processor knows it, the schemas omit it)."""
    ignorable = set()
    for element in root.iter():
        for prefix in (element.get(f"{{{MC}}}Ignorable") or "").split():
            if prefix in element.nsmap:
                ignorable.add(element.nsmap[prefix])
        element.attrib.pop(f"{{{MC}}}Ignorable", None)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        namespace = etree.QName(element).namespace
        if namespace == MC and etree.QName(element).localname == "AlternateContent":
            fallback = element.find(f"{{{MC}}}Fallback")
            for child in [] if fallback is None else list(fallback):
                element.addprevious(child)
            element.getparent().remove(element)
        elif namespace in ignorable and element.getparent() is not None:
            element.getparent().remove(element)
        else:
            for name in [n for n in element.attrib if etree.QName(n).namespace in ignorable
                         or n == XML_SPACE]:
                del element.attrib[name]
    return root


def invalid_parts(path: Path, names: set[str],
                  schemas: dict[str, etree.XMLSchema]) -> dict[str, list[str]]:
    """Every listed XML part that breaks its schema, with libxml2's messages."""
    files = parts(path)
    found = {}
    for name in sorted(names):
        if not name.endswith((".xml", ".rels")):
            continue
        root = compatible(etree.fromstring(files[name]))
        if etree.QName(root).localname in _MICROSOFT_ONLY:
            continue
        schema = schemas.get(_SCHEMA_OF.get(etree.QName(root).localname, ""))
        assert schema is not None, f"no schema for {name}"
        if not schema.validate(root):
            found[name] = [e.message for e in schema.error_log]
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_every_part_written_validates(command: str, corpus: Path, results: dict[str, Path],
                                      schemas: dict[str, etree.XMLSchema]) -> None:
    comparison = compare(parts(corpus), parts(results[command]))
    written = (comparison.changed | comparison.added) - {"xl/drawings/vmlDrawing1.vml"}
    assert invalid_parts(results[command], written, schemas) == {}


def test_the_example_validates_whole(example: Path,
                                     schemas: dict[str, etree.XMLSchema]) -> None:
    """`init --exemple` goes through the same writer: every part it wrote validates."""
    names = {n for n in parts(example) if n.endswith((".xml", ".rels"))
             and not n.startswith("docProps/app") and not n.startswith("docProps/core")
             and "theme" not in n}
    assert invalid_parts(example, names, schemas) == {}


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
def test_libreoffice_opens_and_recalculates_every_result(
        libreoffice: Callable[..., list[Path]], results: dict[str, Path],
        tmp_path: Path) -> None:
    """One LibreOffice run converts the five results, recalculating every formula."""
    inputs = []
    for name, path in results.items():
        copy = tmp_path / "in" / f"{name}.xlsx"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(path, copy)
        inputs.append(copy)
    outputs = dict(zip(results, libreoffice(inputs, tmp_path / "out", recalc=True),
                       strict=True))
    totals = {"ajouter": (9, 47500), "importer": (10, 50500), "maj": (8, 37700),
              "planifier": (8, 37700), "analyse": (8, 37700)}
    for name, (row, total) in totals.items():
        book = openpyxl.load_workbook(outputs[name], data_only=True)
        assert book["Suivi"][f"E{row}"].value == total, name
        assert book["Calc"]["A3"].value == total, name
        hotel = next(r for r in book["Suivi"].iter_rows(min_row=4, values_only=True)
                     if r[1] == "Hôtel du Lac")
        assert hotel[4] == 10000, name
    dashboard = openpyxl.load_workbook(outputs["analyse"], data_only=True)["Tableau de bord"]
    assert (dashboard["A2"].value, dashboard["B2"].value) == ("Prospects actifs", 4)
    # LibreOffice keeps the score's colours, first, and the score under its header.
    scored = openpyxl.load_workbook(outputs["satisfaction"])["Suivi"]
    rules = sorted((r.priority, r.formula[0] if r.formula else r.type)
                   for cf in scored.conditional_formatting for r in cf.rules)
    assert [formula for _, formula in rules] == [
        "AND(ISNUMBER($L4),$L4<=2)", "AND(ISNUMBER($L4),$L4=3)", "AND(ISNUMBER($L4),$L4>3)",
        "dataBar"]
    assert (scored["L3"].value, scored["L4"].value) == ("Satisfaction", 5)


# --------------------------------------------------------------------------- concurrency


def test_eight_ajouter_started_at_once_all_land(corpus: Path, tmp_path: Path) -> None:
    """Eight processes, one file: each waits for the previous one; none is refused."""
    path = tmp_path / "suivi.xlsx"
    shutil.copy(corpus, path)
    env = dict(os.environ, RELANCES_AUJOURDHUI=STORY_DAY.isoformat(), PYTHONIOENCODING="utf-8")
    runs = [subprocess.Popen([sys.executable, "-m", "relances", "ajouter", f"Client {n}",
                              "-f", str(path)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
            for n in range(8)]
    outputs = [(process.wait(60), process.stdout.read().decode()) for process in runs]
    assert [code for code, _ in outputs] == [0] * 8, outputs
    ws = openpyxl.load_workbook(path)["Suivi"]
    names = [ws.cell(row=row, column=2).value for row in range(8, 16)]
    assert sorted(names) == sorted(f"Client {n}" for n in range(8))
    assert [ws.cell(row=row, column=1).value for row in range(8, 16)] == list(range(5, 13))
    assert ws["A16"].value == "Total"


# --------------------------------------------------------------------------- below the data


def footed_tracker(path: Path, picture_row: int = 8) -> Path:
    """A Table with a totals row, and under it what people put there: a merged footer,
    a note, a link, a drop-down, a rule, a picture, a page break, a formula on the total."""
    import io

    import xlsxwriter
    from excel_files import png

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Suivi")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    ws.add_table("A1:D4", {"name": "Suivi2026", "total_row": True, "columns": [
        {"header": "Nom", "total_string": "Total"}, {"header": "Statut"},
        {"header": "Prochaine relance", "format": day},
        {"header": "Montant estimé", "total_function": "sum"}],
        "data": [["Martin Menuiserie", "Prospect", datetime(2026, 1, 27), 8500],
                 ["Dupont SAS", "Devis envoyé", datetime(2026, 1, 22), 15000]]})
    ws.merge_range("A6:D6", "Conditions : devis valables 30 jours")
    ws.write_comment("D4", "Total hors taxes")
    ws.write_url("A7", "https://www.exemple.fr/cgv", string="CGV")
    ws.data_validation("B7", {"validate": "list", "source": ["oui", "non"]})
    ws.conditional_format("C7", {"type": "cell", "criteria": ">", "value": 1,
                                 "format": book.add_format({"bold": True})})
    ws.insert_image(f"A{picture_row}", "logo.png", {"image_data": io.BytesIO(png())})
    ws.write_formula("E10", "=D4*1.2", None, 28200)
    ws.set_h_pagebreaks([6])
    book.define_name("PiedDePage", "=Suivi!$A$6:$D$6")
    book.close()
    return path


def test_what_lies_below_the_data_moves_down_with_it(tmp_path: Path, run: Run) -> None:
    path = footed_tracker(tmp_path / "suivi.xlsx")
    assert run("ajouter", "Garage Moreau", "--montant", "9800", "-f", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    assert [ws[f"A{r}"].value for r in range(2, 6)] == [
        "Martin Menuiserie", "Dupont SAS", "Garage Moreau", "Total"]
    assert ws.tables["Suivi2026"].ref == "A1:D5"
    assert [str(m) for m in ws.merged_cells.ranges] == ["A7:D7"]
    assert ws["D5"].comment.text == "Total hors taxes"
    assert ws["A8"].hyperlink.target == "https://www.exemple.fr/cgv"
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == ["B8"]
    assert [str(c.sqref) for c in ws.conditional_formatting] == ["C8"]
    assert ws._images[0].anchor._from.row == 8  # 0-based: row 9, one below row 8
    assert ws["E11"].value == "=D5*1.2"
    assert [b.id for b in ws.row_breaks.brk] == [7]
    assert book.defined_names["PiedDePage"].attr_text == "Suivi!$A$7:$D$7"


@pytest.mark.parametrize(("picture_row", "moved"), [(2, False), (8, True)])
def test_a_sort_never_leaves_a_picture_behind(tmp_path: Path, run: Run, picture_row: int,
                                             moved: bool) -> None:
    """A picture drawn over the data rows could not follow them: the order stays, and
    planifier says why; under the data it is no obstacle."""
    path = footed_tracker(tmp_path / "suivi.xlsx", picture_row)
    before = [c.value for c in openpyxl.load_workbook(path)["Suivi"]["A"][1:3]]
    result = run("planifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    after = [c.value for c in openpyxl.load_workbook(path)["Suivi"]["A"][1:3]]
    if moved:
        assert "Le suivi a été trié par prochaine relance." in result.output
        assert after == list(reversed(before))
    else:
        assert flat(result.output).count("Le suivi n'a pas été trié : l'objet « Picture 1 » "
                                         "(image, forme ou graphique) est posé sur les lignes "
                                         "de données") == 1
        assert after == before
        assert "Tout est déjà planifié" not in result.output


def test_a_sort_never_breaks_a_merge_across_rows(tmp_path: Path, run: Run) -> None:
    import xlsxwriter

    path = tmp_path / "suivi.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Suivi")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["Nom", "Statut", "Prochaine relance", "Lot"])
    for row, (name, when) in enumerate((("Martin", 27), ("Dupont", 22)), start=1):
        ws.write_row(row, 0, [name, "Prospect"])
        ws.write_datetime(row, 2, datetime(2026, 1, when), day)
    ws.merge_range("D2:D3", "Chantier de la rue Haute")
    book.close()
    before = path.read_bytes()
    result = run("planifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert flat(result.output) == (
        "Le suivi n'a pas été trié : les cellules fusionnées D2:D3 s'étendent sur plusieurs "
        "lignes de données et ne pourraient pas suivre leurs lignes. Défusionnez-les pour que "
        "relances puisse trier.")
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- a TOTAL row


def totalled_tracker(path: Path, label: str | None = "TOTAL") -> Path:
    """A title and a subtitle merged above the header (row 3), and a TOTAL row with its
    SUM under the data, as people build them by hand."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Suivi")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range("A1:F1", "Suivi des devis 2026")
    ws.merge_range("A2:F2", "Mis à jour chaque lundi")
    ws.write_row(2, 0, ["Nom du client", "Tél.", "E-mail", "Montant HT", "Date relance",
                        "Prochaine action"])
    for row, (name, amount, when, action) in enumerate((
            ("Client A", 8500, datetime(2026, 1, 27), "Rappeler"),
            ("Client B", 10000, datetime(2026, 1, 22), "Envoyer devis"),
            ("Client C", 1500, datetime(2026, 1, 21), "RDV")), start=3):
        ws.write_row(row, 0, [name, None, f"{name[-1].lower()}@client.fr", amount])
        ws.write_datetime(row, 4, when, day)
        ws.write(row, 5, action)
    if label:
        ws.write(6, 0, label)
    ws.write_formula(6, 3, "=SUM(D4:D6)", None, 20000)
    book.close()
    return path


@pytest.mark.parametrize("label", ["TOTAL", "Sous-total", None])
def test_a_total_row_is_never_a_prospect_and_new_rows_go_above_it(
        tmp_path: Path, run: Run, label: str | None) -> None:
    path = totalled_tracker(tmp_path / "suivi.xlsx", label)
    listed = json.loads(run("liste", "--json", "-f", str(path)).stdout)
    assert sorted(p["nom"] for p in listed) == ["Client A", "Client B", "Client C"]
    check = run("verifier", "-f", str(path))
    assert check.exit_code == 0, check.output
    analysis = json.loads(run("analyse", "--json", "--sans-classeur", "-f", str(path)).stdout)
    assert sum(s["montant"] for s in analysis["pipeline_par_statut"]) == 20000
    assert run("ajouter", "Client D", "--montant", "900", "-f", str(path)).exit_code == 0
    ws = openpyxl.load_workbook(path)["Suivi"]
    assert [ws[f"A{r}"].value for r in range(4, 9)] == [
        "Client A", "Client B", "Client C", "Client D", label]
    assert ws["D8"].value == "=SUM(D4:D7)"


def test_analyse_draws_its_charts_beside_its_tables(results: dict[str, Path]) -> None:
    """On a tracker whose columns have Excel's default width, the charts still never
    cover the tables they draw: they start right of the analysis block."""
    from openpyxl.utils.cell import range_boundaries

    book = openpyxl.load_workbook(results["analyse"])
    ws = book["Tableau de bord"]
    ((sheet, block),) = book.defined_names["RelancesAnalyse"].destinations
    _, _, last_column, _ = range_boundaries(block.replace("$", ""))
    assert sheet == "Tableau de bord" and len(ws._charts) == 4
    assert all(chart.anchor._from.col >= last_column for chart in ws._charts)
