"""The model: the records' data classes (agencies, inspections, findings, quotes), their one
mapping to RDF, the co-criticism index written with them, and the keys users may name.
"""
