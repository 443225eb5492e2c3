"""Stage 8, evaluation: per-tag precision, recall and F1 against gold, and rule analysis."""
