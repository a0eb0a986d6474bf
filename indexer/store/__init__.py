"""The index on disk: the SQLite registry, chroma vectors, the FTS5 lexical index, copies and records."""
