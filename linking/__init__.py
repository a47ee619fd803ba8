"""Links to Wikidata and the ONS, the DCAT/VoID description of a store, and citable releases."""
