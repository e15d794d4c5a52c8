"""Workbooks as a current Excel writes them, with everything a real user puts in one.

XlsxWriter mirrors Excel's own XML; what it does not write (threaded comments and their
persons, an x14 validation to another sheet, a text box inside a chart, a custom XML
part, an external link, a pivot table) is patched in as Excel or LibreOffice writes
it. `user_tracker` builds the whole corpus in one file, the way people's trackers
accumulate features; `FEATURES` checks each of them is still there after a write.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import xlsxwriter
from PIL import Image as PILImage

HEADERS = ["ID", "Nom du client", "Contact", "Statut", "Montant estimé", "Probabilité",
           "Dernier contact", "Prochaine relance", "Notes"]
PROSPECTS = [
    [1, "Martin Menuiserie", "m.martin@email.fr", "Devis envoyé", 8500, 0.5,
     datetime(2026, 1, 10), datetime(2026, 1, 23), "Veut une pose avant mars"],
    [2, "Hôtel du Lac", "contact@hoteldulac.fr", "Négociation", None, 0.6,
     datetime(2026, 1, 12), datetime(2026, 1, 21), None],
    [3, "Dupont SAS", "a.dupont@societe.fr", "Prospect", 15000, 0.1,
     datetime(2026, 1, 5), datetime(2026, 1, 22), None],
    [4, "Boulangerie Petit", "06 12 34 56 78", "Prospect", 4200, 0.2,
     datetime(2026, 1, 8), None, None],
]
"""Rows 4 to 7 of Suivi, under a title (row 1) and the header (row 3). Hôtel du Lac's
amount is a formula (=Calc!A1*2, saved value 10 000); Boulangerie Petit has no date
yet, so `planifier` plans it and the rows are out of order (sorting moves them)."""
THREADED_TEXT = "Rappeler après le conseil syndical"
NOTE_TEXT = "Client fidèle depuis 2019"
PERSON_ID = "{6B1D2A0C-0C4E-4C0C-9E33-5C1A2A0B9F10}"
COMMENT_ID = "{0A5E2F11-8E1B-4B43-9E0F-3C3A8C5E2D77}"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def png(width: int = 24, height: int = 12) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def user_tracker(path: Path) -> Path:
    """The tracker of a user of Excel 365 on Windows, every feature of the corpus in it."""
    book = xlsxwriter.Workbook(str(path))
    book.set_custom_property("Service", "Commercial")
    ws = book.add_worksheet("Suivi")
    calc = book.add_worksheet("Calc")
    lists = book.add_worksheet("Listes")
    notes = book.add_worksheet("Notes")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    euros = book.add_format({"num_format": '#,##0 "€"'})
    percent = book.add_format({"num_format": "0%"})
    ws.merge_range("A1:I1", "Suivi commercial 2026", book.add_format({"bold": True,
                                                                      "font_size": 14}))
    ws.add_table("A3:I8", {
        "name": "TableauSuivi", "total_row": True,
        "columns": [{"header": "ID", "total_string": "Total"}, {"header": "Nom du client"},
                    {"header": "Contact"}, {"header": "Statut"},
                    {"header": "Montant estimé", "total_function": "sum", "format": euros},
                    {"header": "Probabilité", "format": percent},
                    {"header": "Dernier contact", "format": day},
                    {"header": "Prochaine relance", "format": day}, {"header": "Notes"}]})
    for offset, values in enumerate(PROSPECTS):
        row = 3 + offset
        for column, value in enumerate(values):
            if isinstance(value, datetime):
                ws.write_datetime(row, column, value, day)
            elif value is not None:
                ws.write(row, column, value, {4: euros, 5: percent}.get(column))
    ws.write_formula("E5", "=Calc!A1*2", euros, 10000)
    ws.write_url("I4", "https://www.martin-menuiserie.fr", string="Veut une pose avant mars")
    ws.write_comment("B4", NOTE_TEXT, {"visible": True, "author": "Claire",
                                       "x_scale": 1.5, "font_size": 10})
    ws.write_comment("B7", f"[Threaded comment]\n\nYour version of Excel allows you to read "
                     f"this threaded comment; however, any edits to it will get removed if "
                     f"the file is opened in a newer version of Excel.\n\nComment:\n    "
                     f"{THREADED_TEXT}", {"author": "tc=" + COMMENT_ID})
    ws.write("K3", "Tendance")
    for row in range(4, 8):
        ws.add_sparkline(f"K{row}", {"range": f"Suivi!E{row}:F{row}"})
    ws.conditional_format("E4:E7", {"type": "data_bar", "data_bar_2010": True})
    ws.data_validation("D4:D7", {"validate": "list", "source": "=Listes!$A$1:$A$5"})
    ws.repeat_rows(2)
    ws.print_area("A1:K8")
    book.define_name("Montants", "=Suivi!$E$4:$E$7")
    calc.write("A1", 5000)
    for column, value in enumerate((3, 5, 4, 8), start=1):
        calc.write(0, column, value)
    calc.write_formula("A3", "=SUM(Suivi!E4:E7)", None, 27700)
    calc.write_formula("A4", "=[1]Tarifs!A1", None, 12)
    calc.protect()
    for row, status in enumerate(("Prospect", "Devis envoyé", "Négociation", "Gagné",
                                  "Perdu")):
        lists.write(row, 0, status)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "Valeurs", "categories": "=Calc!$B$1:$E$1",
                      "values": "=Calc!$B$1:$E$1"})
    chart.set_title({"name": "Heures par chantier"})
    chart.set_style(26)
    notes.insert_chart("D2", chart)
    notes.insert_image("D20", "logo.png", {"image_data": io.BytesIO(png()),
                                           "url": "https://www.example.fr/"})
    notes.insert_textbox("K2", "Penser à relancer Martin", {"width": 200, "height": 60})
    notes.insert_textbox("K8", "", {"width": 80, "height": 80, "object_position": 1})
    book.close()
    _patch(path)
    return path


# --------------------------------------------------------------------------- patches


def _patch(path: Path) -> None:
    """Add, as Excel 365 and LibreOffice write them, the parts XlsxWriter cannot."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = _x14_validation(sheet)
    # Excel names the Table in the formulas of its totals row (XlsxWriter leaves it out,
    # which LibreOffice cannot resolve).
    sheet = sheet.replace("SUBTOTAL(109,[Montant estimé])",
                          "SUBTOTAL(109,TableauSuivi[Montant estimé])")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    _threaded_comment(parts)
    _chart_text_box(parts)
    _ellipse(parts)
    _custom_xml(parts)
    _external_link(parts)
    _pivot_table(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _x14_validation(sheet: str) -> str:
    """Excel 2010+ writes a list drawn from another sheet as an x14 validation."""
    sheet = re.sub(r"<dataValidations.*?</dataValidations>", "", sheet, flags=re.S)
    x14 = ('<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
           'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
           'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
           '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
           'showErrorMessage="1"><x14:formula1><xm:f>Listes!$A$1:$A$5</xm:f></x14:formula1>'
           '<xm:sqref>D4:D7</xm:sqref></x14:dataValidation></x14:dataValidations></ext>')
    last = sheet.rindex("<extLst>") + len("<extLst>")  # the worksheet's, after the rules'
    return sheet[:last] + x14 + sheet[last:]


def _add_override(parts: dict[str, bytes], name: str, content_type: str) -> None:
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", f'<Override PartName="/{name}" '
                          f'ContentType="{content_type}"/></Types>')
    parts["[Content_Types].xml"] = types.encode()


def _add_relationship(parts: dict[str, bytes], rels: str, rid: str, kind: str,
                      target: str, external: bool = False) -> None:
    data = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     b'relationships"></Relationships>').decode()
    mode = ' TargetMode="External"' if external else ""
    data = data.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" '
                        f'Target="{target}"{mode}/></Relationships>')
    parts[rels] = data.encode()


def _threaded_comment(parts: dict[str, bytes]) -> None:
    parts["xl/threadedComments/threadedComment1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<ThreadedComments '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<threadedComment ref="B7" dT="2026-01-12T10:04:31.00" personId="{PERSON_ID}" '
        f'id="{COMMENT_ID}"><text>{THREADED_TEXT}</text></threadedComment>'
        '</ThreadedComments>').encode()
    parts["xl/persons/person.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<personList '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<person displayName="Claire Roux" id="{PERSON_ID}" userId="claire.roux@agence.fr" '
        'providerId="AD"/></personList>').encode()
    _add_override(parts, "xl/threadedComments/threadedComment1.xml",
                  "application/vnd.ms-excel.threadedcomments+xml")
    _add_override(parts, "xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
    _add_relationship(parts, "xl/worksheets/_rels/sheet1.xml.rels", "rId90",
                      "http://schemas.microsoft.com/office/2017/10/relationships/"
                      "threadedComment", "../threadedComments/threadedComment1.xml")
    _add_relationship(parts, "xl/_rels/workbook.xml.rels", "rId90",
                      "http://schemas.microsoft.com/office/2017/10/relationships/person",
                      "persons/person.xml")


def _chart_text_box(parts: dict[str, bytes]) -> None:
    """A text box drawn inside the chart: a drawing part of the chart's own."""
    parts["xl/drawings/drawing9.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<c:userShapes '
        b'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        b'xmlns:cdr="http://schemas.openxmlformats.org/drawingml/2006/chartDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        b'<cdr:relSizeAnchor><cdr:from><cdr:x>0.1</cdr:x><cdr:y>0.1</cdr:y></cdr:from>'
        b'<cdr:to><cdr:x>0.4</cdr:x><cdr:y>0.2</cdr:y></cdr:to><cdr:sp macro="" textlink="">'
        b'<cdr:nvSpPr><cdr:cNvPr id="2" name="ZoneTexte 1"/><cdr:cNvSpPr txBox="1"/>'
        b'</cdr:nvSpPr><cdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>'
        b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></cdr:spPr><cdr:txBody>'
        b'<a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Objectif : 20 h</a:t></a:r></a:p>'
        b'</cdr:txBody></cdr:sp></cdr:relSizeAnchor></c:userShapes>')
    _add_override(parts, "xl/drawings/drawing9.xml",
                  "application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml")
    _add_relationship(parts, "xl/charts/_rels/chart1.xml.rels", "rId1",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "chartUserShapes", "../drawings/drawing9.xml")
    chart = parts["xl/charts/chart1.xml"].decode()
    chart = chart.replace("</c:chartSpace>", '<c:userShapes r:id="rId1" xmlns:r="http://'
                          'schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                          "</c:chartSpace>")
    parts["xl/charts/chart1.xml"] = chart.encode()


def _ellipse(parts: dict[str, bytes]) -> None:
    """The second text box becomes a shape (an ellipse without text)."""
    name = next(n for n in parts if n.startswith("xl/drawings/drawing") and
                b"Penser" in parts[n])
    drawing = parts[name].decode()
    last = drawing.rfind('prst="rect"')
    parts[name] = (drawing[:last] + 'prst="ellipse"' + drawing[last + 11:]).encode()


def _custom_xml(parts: dict[str, bytes]) -> None:
    parts["customXml/item1.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?>'
                                    b'<dossier xmlns="urn:agence:dossier"><client>Martin'
                                    b'</client></dossier>')
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n<ds:datastoreItem '
        b'ds:itemID="{1C5E8A6B-2D3F-4E1A-9B7C-8D6E5F4A3B2C}" xmlns:ds="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef '
        b'ds:uri="urn:agence:dossier"/></ds:schemaRefs></ds:datastoreItem>')
    _add_override(parts, "customXml/itemProps1.xml",
                  "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    _add_relationship(parts, "customXml/_rels/item1.xml.rels", "rId1",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "customXmlProps", "itemProps1.xml")
    _add_relationship(parts, "xl/_rels/workbook.xml.rels", "rId91",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "customXml", "../customXml/item1.xml")


def _external_link(parts: dict[str, bytes]) -> None:
    """=[1]Tarifs!A1 in Calc: a link to another workbook, with its cached value."""
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<externalLink '
        f'xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="Tarifs"/>'
        f'</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1">'
        f'<v>12</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    ).encode()
    _add_override(parts, "xl/externalLinks/externalLink1.xml",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml."
                  "externalLink+xml")
    _add_relationship(parts, "xl/externalLinks/_rels/externalLink1.xml.rels", "rId1",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "externalLinkPath", "file:///C:/Documents/Tarifs.xlsx", external=True)
    _add_relationship(parts, "xl/_rels/workbook.xml.rels", "rId92",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "externalLink", "externalLinks/externalLink1.xml")
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace("</sheets>", '</sheets><externalReferences>'
                                '<externalReference r:id="rId92"/></externalReferences>')
    parts["xl/workbook.xml"] = workbook.encode()


def _pivot_table(parts: dict[str, bytes]) -> None:
    """A pivot table over Suivi on sheet Notes, as LibreOffice writes one."""
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheDefinition '
        f'xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships" r:id="rId1" recordCount="4" createdVersion="3"><cacheSource '
        f'type="worksheet"><worksheetSource ref="D3:E7" sheet="Suivi"/></cacheSource>'
        f'<cacheFields count="2"><cacheField name="Statut" numFmtId="0"><sharedItems '
        f'count="3"><s v="Devis envoyé"/><s v="Négociation"/><s v="Prospect"/>'
        f'</sharedItems></cacheField><cacheField name="Montant estimé" numFmtId="0">'
        f'<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" '
        f'minValue="4200" maxValue="15000"/></cacheField></cacheFields>'
        f'</pivotCacheDefinition>').encode()
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheRecords '
        f'xmlns="{MAIN}" count="4"><r><x v="0"/><n v="8500"/></r><r><x v="1"/><n v="10000"/>'
        f'</r><r><x v="2"/><n v="15000"/></r><r><x v="2"/><n v="4200"/></r>'
        f'</pivotCacheRecords>').encode()
    parts["xl/pivotTables/pivotTable1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotTableDefinition '
        f'xmlns="{MAIN}" name="TCD" cacheId="1" dataCaption="Valeurs" '
        f'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        f'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="0">'
        f'<location ref="A1:B5" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
        f'<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="4">'
        f'<item x="0"/><item x="1"/><item x="2"/><item t="default"/></items></pivotField>'
        f'<pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1">'
        f'<field x="0"/></rowFields><rowItems count="4"><i><x/></i><i><x v="1"/></i>'
        f'<i><x v="2"/></i><i t="grand"><x/></i></rowItems><colItems count="1"><i/>'
        f'</colItems><dataFields count="1"><dataField name="Somme - Montant estimé" '
        f'fld="1" baseField="0" baseItem="0"/></dataFields></pivotTableDefinition>').encode()
    sheetml = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    _add_override(parts, "xl/pivotCache/pivotCacheDefinition1.xml",
                  sheetml + "pivotCacheDefinition+xml")
    _add_override(parts, "xl/pivotCache/pivotCacheRecords1.xml",
                  sheetml + "pivotCacheRecords+xml")
    _add_override(parts, "xl/pivotTables/pivotTable1.xml", sheetml + "pivotTable+xml")
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    _add_relationship(parts, "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels", "rId1",
                      rel + "pivotCacheRecords", "pivotCacheRecords1.xml")
    _add_relationship(parts, "xl/pivotTables/_rels/pivotTable1.xml.rels", "rId1",
                      rel + "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")
    _add_relationship(parts, "xl/_rels/workbook.xml.rels", "rId93", rel + "pivotCacheDefinition",
                      "pivotCache/pivotCacheDefinition1.xml")
    _add_relationship(parts, "xl/worksheets/_rels/sheet4.xml.rels", "rId90", rel + "pivotTable",
                      "../pivotTables/pivotTable1.xml")
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace("</workbook>", '<pivotCaches><pivotCache cacheId="1" '
                                'r:id="rId93"/></pivotCaches></workbook>')
    if "<calcPr" in workbook:  # pivotCaches come after calcPr in CT_Workbook
        workbook = re.sub(r'(<pivotCaches>.*?</pivotCaches>)', "", workbook)
        workbook = re.sub(r"(<calcPr[^>]*/>)", r'\1<pivotCaches><pivotCache cacheId="1" '
                          r'r:id="rId93"/></pivotCaches>', workbook)
    parts["xl/workbook.xml"] = workbook.encode()


FeatureCheck = Callable[[dict[str, bytes]], None]
