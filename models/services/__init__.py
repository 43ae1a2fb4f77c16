"""The one service layer every write goes through (API mutations and sheet sync alike); imports only models.

Each write validates, writes and appends a change event to the outbox inside one transaction,
opened by `write_scope`. Listeners hear about events only after that transaction commits.
Record families (schools, programs, budget lines) are declared on `family.Family`, which writes
them all the same way; each family's module holds only its fields and the rules that differ.
"""
