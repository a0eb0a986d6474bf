"""Reading papers: PDF and text readers that return pages, document metadata and committee lineages."""
