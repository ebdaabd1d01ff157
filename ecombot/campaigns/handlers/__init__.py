"""Slack-facing handlers of the campaigns domain, by surface."""
