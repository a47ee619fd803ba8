"""``python -m inspectgraph`` runs the command line."""

from .cli.main import main

main()
