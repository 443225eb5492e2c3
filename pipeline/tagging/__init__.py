"""Stage 6, tagging: rules + model -> tags, scores and evidence for documents."""
