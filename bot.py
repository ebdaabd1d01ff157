"""`python bot.py` is `ecombot run`; any ecombot arguments may follow (`python bot.py serve`)."""

import sys

from ecombot.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    commands = {"run", "serve", "console", "demo", "db", "manifest"}
    main(args if commands.intersection(args) or "-h" in args or "--help" in args else [*args, "run"])
