"""`python -m pos_logic` is the `pos` command."""

from .cli import main

main()
