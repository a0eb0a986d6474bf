"""Pure text helpers shared by every stage: spans and quotes, dates, and the words that carry meaning."""
