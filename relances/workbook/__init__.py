"""The datastore: the only code that opens a spreadsheet file, the tracker and the files to
import alike.

files      what may be opened (the one archive check), locks, backups, the atomic writer
values     the one python-calamine reader of sheet values, and the one clean-up of cells
layout     where a header is (the one scan), where a tracker's columns are, row formulas
read       sheet values to Prospects, settings, rules, the Journal
totals     the totals rows of Excel Tables, which are not prospects
sources    a file to import (CSV in any usual dialect, .xlsx, .xls, .ods) down to its rows
session    opening the tracker for a change: checks, lock, the first read
update     the write session every command that changes the tracker opens, its save
satisfaction  the Satisfaction column added where the headers end, its score colours
sheets     Journal and Tableau de bord added to a workbook relances did not create
dashboard  the analysis block and its charts on Tableau de bord
create     a brand-new tracker (`init`), built with openpyxl

May import relances.core, relances.text and relances.xlsx. Reading commands import
only files, values, layout and read (sources for an import), which load python-calamine
alone: the editor (lxml, openpyxl's tokenizer) is loaded by the modules that write.
"""
