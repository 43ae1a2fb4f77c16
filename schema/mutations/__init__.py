"""Mutations, object-first (`schoolCreate`, `budgetLineUpdate`, ...), one `input` each; import schema, models.

Every business error comes back in the payload's `userErrors`, never as a GraphQL error.
A record family's four mutations are built from its `family.MutationFamily` declaration.
"""
