def test_import():
    import indexer.models  # noqa: F401
