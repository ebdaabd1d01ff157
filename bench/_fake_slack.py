"""The fake Slack Web API the benchmarked app calls, in a process of its own: Slack's side of a DM is
not on the app's machine, and in the benchmark's own process it took the GIL from the client
threads that time the requests. Knows the users named as arguments, prints its API URL, and serves
until its standard input closes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecombot.devtools.fakeslack import FakeSlack


def main() -> None:
    with FakeSlack() as fake:
        for user in sys.argv[1:]:
            fake.add_user(user, name=user.lower())
        print(fake.api_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
