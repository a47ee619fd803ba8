"""The graph: the corpus's documents as quads, the build into a store, the stores (memory,
Oxigraph, remote), SHACL validation, SPARQL parameter binding and export.
"""
