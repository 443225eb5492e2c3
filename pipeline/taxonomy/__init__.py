"""Stage 2, the taxonomy: load and validate taxonomy.yaml (tags, rules, cues, policy)."""
