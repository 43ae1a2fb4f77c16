from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import ActorKind, BudgetStage, RecordType
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_sheet_tab_ids')]

    initial = False

    # Lines that exist before stages were known get AGREED (확정), not PLANNED: their 배정액 is the
    # assigned amount the office already works with (executed was checked against it), so calling
    # them mere plans would understate them; staff move them on to 교부/집행 as they record it.
    operations = [
        ops.CreateModel(
            name='FiscalYearClosing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fiscal_year', fields.IntField(unique=True)),
                ('closed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('actor_kind', fields.CharEnumField(description='API_TOKEN: API_TOKEN\nSHEET_SYNC: SHEET_SYNC\nSYSTEM: SYSTEM', enum_type=ActorKind, max_length=20)),
                ('actor_name', fields.CharField(max_length=100)),
                ('lines_settled', fields.IntField(default=0)),
                ('lines_created', fields.IntField(default=0)),
                ('total_executed', fields.BigIntField(default=0)),
                ('total_carried', fields.BigIntField(default=0)),
                ('total_unused', fields.BigIntField(default=0)),
            ],
            options={'table': 'fiscal_year_closing', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='BudgetLine',
            name='carried_in',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='BudgetLine',
            name='carried_out',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='BudgetLine',
            name='disbursed',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='BudgetLine',
            name='stage',
            field=fields.CharEnumField(default=BudgetStage.PLANNED, db_default=BudgetStage.PLANNED, description='PLANNED: PLANNED\nAGREED: AGREED\nDISBURSED: DISBURSED\nEXECUTED: EXECUTED\nSETTLED: SETTLED', enum_type=BudgetStage, max_length=20),
        ),
        ops.AddField(
            model_name='BudgetLine',
            name='unused',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddIndex(
            model_name='BudgetLine',
            index=Index(fields=['stage'], name='budget_line_stage_idx'),
        ),
        ops.RunSQL("UPDATE \"budget_line\" SET \"stage\" = 'AGREED'", reverse_sql=ops.RunSQL.noop),
        ops.AlterField(
            model_name='ChangeEvent',
            name='record_type',
            field=fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine\nPARTNER: Partner\nPROGRAM_SESSION: ProgramSession\nFISCAL_YEAR_CLOSING: FiscalYearClosing', enum_type=RecordType, max_length=20),
        ),
        ops.AlterField(
            model_name='SyncConflict',
            name='record_type',
            field=fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine\nPARTNER: Partner\nPROGRAM_SESSION: ProgramSession\nFISCAL_YEAR_CLOSING: FiscalYearClosing', enum_type=RecordType, max_length=20),
        ),
        ops.AlterField(
            model_name='SyncedRow',
            name='record_type',
            field=fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine\nPARTNER: Partner\nPROGRAM_SESSION: ProgramSession\nFISCAL_YEAR_CLOSING: FiscalYearClosing', enum_type=RecordType, max_length=20),
        ),
        # SQLite only, in effect: the AlterFields above rebuild these tables there and lose their
        # indexes (as in 0011 and 0013); PostgreSQL keeps them, so these are no-ops there.
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_change_even_occurre_07fac5" ON "change_event" ("occurred_at")',
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_change_even_record__d00f3c" ON "change_event" ("record_type", "record_id")',
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_sync_confli_resolve_6b9141" ON "sync_conflict" ("resolved_at")',
            reverse_sql=ops.RunSQL.noop,
        ),
    ]
