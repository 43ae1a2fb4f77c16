"""Planned execution: plain reads of the record types answered without per-field resolution.

`schema.planned.execution.PlannedExecutionContext` is the schema's execution context. For a
query over the record types' data fields (`schema.planned.planner`) it builds a plan once per
document (and @include/@skip outcome), then answers with one SQL statement per level and turns
rows straight into the response (`schema.planned.nodes`). Anything else, or anything that would
end in an error, goes through graphql-core's executor exactly as before.
"""
