"""Tortoise migrations of the tables, in order; they import models and Tortoise only."""
