"""The GraphQL schema: types, queries, mutations, subscriptions; imports pubsub, models (not api, sync)."""

# The models' enums get their GraphQL descriptions in schema.enums; that must happen before any
# type mentions them, or strawberry would register a second, undescribed definition.
from schema import enums as _enums  # noqa: F401
