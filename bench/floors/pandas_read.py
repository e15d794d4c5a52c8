"""Reference: what a pandas user would pay to read Suivi (run in bench/.venv-pandas)."""

import sys

import pandas

frame = pandas.read_excel(sys.argv[1], sheet_name="Suivi", engine=sys.argv[2])
print(len(frame))
