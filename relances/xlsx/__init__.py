"""The OOXML editor: edits an .xlsx/.xlsm package the way a careful person edits it in Excel.

Only the parts a change needs are parsed (with lxml, entities and network off); inside
them, every element, attribute, namespace prefix and extension the editor does not own
stays as it was, and every other part is copied byte for byte. Knows nothing of
prospects: it imports nothing of relances; lxml and openpyxl's formula tokenizer (and
its chart classes, for charts relances draws itself) are its only dependencies.

package     the zip: parts, content types, relationships, the atomic rebuild
book        workbook.xml: sheets, defined names, calculation flags, new sheets
sheet       one worksheet: rows parsed on demand, cells, ranges, columns
values      what one cell holds, as Excel writes it (numbers, dates, text, formulas)
blank       a new worksheet that prints well
references  shifting cell references, ranges and formulas when rows move
edits       what follows a row insertion or a sort across the package
styles      number formats, new cell styles and colour-rule formats in styles.xml
columns     a column joining a sheet's Table and filter; colour rules put first
drawing     anchors of pictures, shapes and charts; the charts relances adds
"""
