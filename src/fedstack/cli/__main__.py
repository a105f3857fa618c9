"""`python -m fedstack.cli`: the same as the `fedstack` console script."""

from fedstack.cli import main

main()
