"""Evaluation of retrieval and answers: datasets as files (queries, qrels, runs) and the commands around them."""
