"""`python -m taxotag`: the same as the `taxotag` command."""

import sys

from .entry import main

sys.exit(main())
