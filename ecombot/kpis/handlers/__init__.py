"""Slack-facing handlers of the KPIs domain."""
