"""`python -m devstack run`: the embedded stack behind `make run`."""

import sys

from .stack import main

sys.exit(main())
