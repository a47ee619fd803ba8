"""Where the data comes from: Ofsted's official outcome files, the agency registry, the
local authorities, statistical neighbours, and the polite downloader of the corpus.
"""
