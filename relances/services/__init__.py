"""The use cases, one module per behaviour family: typed values in, a result out.

Each opens the tracker, calls the core and saves; none prints or names an option.
common.py holds what they share; prospects.py (init, ajouter, liste, voir, verifier,
annuler), update.py (maj), planning.py (planifier, regles), week.py (semaine, agenda,
emails, modeles), analysis.py (analyse), exchange.py (accueil, importer, exporter).

May import outputs, workbook, core and text.
"""
