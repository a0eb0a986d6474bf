"""Records drawn from papers: agenda items, decisions, commitments, action trackers and their links."""
