"""GraphQL schema: Strawberry types, inputs, queries, mutations, DataLoaders and permissions."""

# The models' enums get their GraphQL descriptions in schema.enums; that must happen before any
# type mentions them, or strawberry would register a second, undescribed definition.
from schema import enums as _enums  # noqa: F401
