"""`python -m nbm.cli`: the `nbm` console script without its entry point on PATH."""

from nbm.cli import main

main()
