"""A fake Slack Web API server for the test suite and the offline ``console``/``demo`` modes.

It listens on 127.0.0.1 (random port) and speaks exactly what ``slack_sdk.WebClient`` sends:
``POST /api/<method>`` with form-encoded or JSON bodies (or ``GET`` with a query string) and the
token in an ``Authorization: Bearer`` header.  Arguments are checked against
``ecombot/data/slack_methods.json`` and Block Kit against :mod:`ecombot.devtools.blockkit`, so a
call Slack would reject is rejected here too, and recorded where a test can assert on it.

The package, by responsibility (``FakeSlack`` is composed of one mixin per part):

- ``fake``: the ``FakeSlack`` class, its constructor (all the state) and its lifecycle;
- ``server``: the HTTP server, request parsing and routing, the non-API endpoints;
- ``state``: the state every part shares, declared, and the conversation, user and message helpers;
- ``recording``: the users/channels directory, injections and the recorded calls, messages and views;
- ``checks``: argument and content checks (``slack_methods.json``, Block Kit, mrkdwn);
- ``auth``, ``apps``, ``chat``, ``conversations``, ``views``, ``files``: the Web API method handlers by
  family;
- ``model``: the data shapes (``Call``, the records kept, the refusals).
"""

from ecombot.devtools.fakeslack.fake import FakeSlack

__all__ = ["FakeSlack"]
