"""Retrieval API: hybrid search, filters, and answers with cited pages."""
