"""The Starlette application, its settings and the `eduhub` command line."""
