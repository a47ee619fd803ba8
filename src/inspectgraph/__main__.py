"""``python -m inspectgraph`` runs the command line."""

from .cli import main

main()
