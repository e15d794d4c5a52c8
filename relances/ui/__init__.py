"""Everything the user reads in a terminal, and with cli the only code that prints.

console.py decides once whether output is a terminal (colours, rich) or a pipe (plain
text), and what the code page cannot show; the renderers are grouped like the commands:
prospects.py, week.py, analysis.py, exchange.py, sharing common.py; options.py
spells each parameter as the command line does, for texts written below it. Colours follow the
workbook's own code: grey for closed deals, orange for an alert, red for a stale prospect,
bold red for an overdue follow-up, bold green for a hot probability.

May import services (the results it renders), core and text; rich only inside functions.
"""
