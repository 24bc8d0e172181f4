"""casebook's search: full-text search and similar precedents over the corpus."""
