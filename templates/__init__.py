"""The built-in Jinja templates: emails/ and appels/ for the week's drafts and call
scripts, accueil/ for the onboarding checklist, LISEZMOI.txt for the names they may use.
A modeles/ folder beside the workbook overrides them file by file.

A package (installed as relances.templates) only so that importlib.resources finds them
as files on disk, which Jinja's loader needs: a namespace package would give a
MultiplexedPath instead. Holds no code.
"""
