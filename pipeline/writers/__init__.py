"""Stage 7, write: tagged rows as CSV, JSON Lines or Parquet, safely and resumably."""
