"""Reading inspection documents and extracting findings (placeholder docstring, rewritten below)."""
