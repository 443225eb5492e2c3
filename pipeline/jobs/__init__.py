"""The jobs the CLI and Python callers run: train, retrain, tag files, report, the default run."""
