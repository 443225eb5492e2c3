"""Stage 3, rules: compile the taxonomy's rules, vote on documents, resolve votes into labels."""
