"""The composition root: app, settings, CLI, runner, webhook, dashboard; may import every package."""
