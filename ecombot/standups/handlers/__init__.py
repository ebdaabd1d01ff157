"""Standup handlers by surface: commands, buttons, forms, DM replies, App Home."""
