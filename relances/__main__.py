"""`python -m relances` runs the command line, like the `relances` script."""

from relances.cli import main

main()
