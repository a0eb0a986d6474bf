"""Indexer: reads committee papers, splits them along their structure, and builds the search index."""
