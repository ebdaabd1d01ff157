"""Slack-facing handlers of the budgets domain."""
