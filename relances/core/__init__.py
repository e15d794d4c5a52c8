"""The pure core: what a prospect is and what the workflow decides about it.

model (Prospect, Status, Settings, Rule, Journal lines), schema (the tracker's columns,
the settings and rules as Paramètres and Règles hold them), countries (holidays and time
zone), cadence (the next follow-up), workdays (working days and public holidays),
routine (the week), stats (the analysis's figures), figures (their catalogue: key,
label, definition, formatter), advice (the recommendations), example (the built-in
example), errors (the expected failures, each a French sentence).

Pure: no file, no terminal, no clock (today is always passed in). May import text only;
never typer, rich, openpyxl or lxml.
"""
