"""Stage 9, reports: Markdown and HTML evaluation reports, retrain diffs."""
