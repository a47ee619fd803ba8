"""The SPARQL endpoint (``inspectgraph serve``) and the linked-data site it serves."""
