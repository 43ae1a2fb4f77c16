"""Tortoise models and the service layer, the only place that knows tables; imports no other package."""
