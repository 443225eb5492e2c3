"""Stage 1, read: every input format as DataFrames of id, title, abstract (and other columns)."""
