"""`python -m devstack run`: the embedded stack behind `make run`."""

import sys

from .run import main

sys.exit(main())
