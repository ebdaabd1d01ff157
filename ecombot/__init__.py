"""ecombot: Slack operations assistant for e-commerce teams."""

__version__ = "0.1.0"
