"""The one error a request handler raises for a problem with its own request."""


class RequestError(Exception):
    """A request-level problem; the dispatcher prefixes it with ``Invalid requests[i].kind:``."""
