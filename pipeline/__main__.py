"""`python -m taxotag`: the same as the `taxotag` command."""

import sys

from .cli.entry import main

sys.exit(main())
