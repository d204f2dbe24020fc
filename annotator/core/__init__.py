"""Plain-Python core: data model, scheme, edits, agreement and layout maths.

Nothing here imports Qt, spaCy or SQLite.
"""
