"""Floor for write commands: openpyxl loads the whole workbook and saves it elsewhere."""

import sys

import openpyxl

openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])
