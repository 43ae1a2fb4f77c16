from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_change_clock')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='BudgetLine',
            index=Index(fields=['program_id'], name='budget_line_program_id_idx'),
        ),
        ops.AddIndex(
            model_name='Program',
            index=Index(fields=['school_id'], name='program_school_id_idx'),
        ),
        ops.AddIndex(
            model_name='Program',
            index=Index(fields=['status'], name='program_status_idx'),
        ),
        # SQLite only, in effect: 0004's AlterField rebuilt sync_conflict there and lost the
        # `resolved_at` index 0001 made (PostgreSQL kept it, so this is a no-op there).
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_sync_confli_resolve_6b9141" ON "sync_conflict" ("resolved_at")',
            reverse_sql=ops.RunSQL.noop,
        ),
    ]
