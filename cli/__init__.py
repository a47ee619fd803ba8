"""The command line: ``inspectgraph`` and its subcommands (:mod:`inspectgraph.cli.main`)."""
