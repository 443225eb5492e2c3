"""Stage 5, training: label a corpus with the rules (cached) and fit the model on it."""
