"""The datastore: the only code that opens a spreadsheet file.

layout     where a tracker's columns are (header scan) and the formulas of its rows
read       sheet values (python-calamine) to Prospects, settings, rules, the Journal
files      what may be opened, locks, backups, the atomic replacement
session    opening the tracker for a change: checks, lock, the first read
update     the write session every command that changes the tracker opens, its save
sheets     Journal and Tableau de bord added to a workbook relances did not create
dashboard  the analysis block and its charts on Tableau de bord
create     a brand-new tracker (`init`), built with openpyxl

May import relances.core, relances.text and relances.xlsx. Reading commands
import only layout, read and files, which load python-calamine alone: the editor
(lxml, openpyxl's tokenizer) is loaded by the modules that write.
"""
