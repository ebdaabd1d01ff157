"""`python -m ecombot` is the `ecombot` command."""

from ecombot.cli import main

main()
