"""Layout: a paper's parts, sections, agenda entries and pack pages, and the chunks cut along them."""
