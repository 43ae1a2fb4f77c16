"""One call that configures the process's logging: text for people, JSON lines for collectors.

JSON is python-json-logger's formatter (well kept, plain stdlib logging underneath), so every
library logging through `logging` (uvicorn, tortoise, ours) comes out in the same shape.
"""

from __future__ import annotations

import logging
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

from logs.request_id import RequestIdFilter

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]


def configure(level: str, log_format: LogFormat = "text") -> None:
    """Replace the root handlers with one stderr handler in ``log_format``."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # uvicorn sets its own loggers' levels whenever a Config is given a log_level; here they follow
    # the root again, so the access log (`api.runner.server_config`) obeys LOG_LEVEL.
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
