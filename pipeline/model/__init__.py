"""Stage 4, the model: TF-IDF features, one logistic regression a tag, saved and loaded verified."""
