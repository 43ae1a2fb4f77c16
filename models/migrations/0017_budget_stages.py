from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import ActorKind, BudgetStage
from models.migrations._record_types import record_types_widened
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0016_agreement')]

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
        *record_types_widened(
            [
                "SCHOOL",
                "PROGRAM",
                "BUDGET_LINE",
                "PARTNER",
                "PROGRAM_SESSION",
                "FISCAL_YEAR_CLOSING",
                "AGREEMENT",
                "SUPPLEMENTARY_AGREEMENT",
                "ALLOCATION",
            ],
            max_length=30,
        ),
    ]
