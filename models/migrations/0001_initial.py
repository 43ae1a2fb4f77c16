from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import ActorKind, ChangeAction, Funder, ProgramCategory, ProgramStatus, RecordType, Role, SchoolLevel
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('role', fields.CharEnumField(description='ADMIN: admin\nSTAFF: staff\nPARTNER: partner', enum_type=Role, max_length=10)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_token', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChangeEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurred_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('record_type', fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine', enum_type=RecordType, max_length=20)),
                ('record_id', fields.IntField()),
                ('action', fields.CharEnumField(description='CREATE: CREATE\nUPDATE: UPDATE\nARCHIVE: ARCHIVE\nRESTORE: RESTORE', enum_type=ChangeAction, max_length=10)),
                ('changes', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('actor_kind', fields.CharEnumField(description='API_TOKEN: API_TOKEN\nSHEET_SYNC: SHEET_SYNC\nSYSTEM: SYSTEM', enum_type=ActorKind, max_length=20)),
                ('actor_name', fields.CharField(max_length=100)),
            ],
            options={'table': 'change_event', 'app': 'models', 'indexes': [Index(fields=['record_type', 'record_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='School',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, description='NEIS-style school code', max_length=20)),
                ('name', fields.CharField(max_length=100)),
                ('level', fields.CharEnumField(db_index=True, description='ELEMENTARY: ELEMENTARY\nMIDDLE: MIDDLE\nHIGH: HIGH\nSPECIAL: SPECIAL', enum_type=SchoolLevel, max_length=20)),
                ('district', fields.CharField(db_index=True, description='권역, e.g. 미사', max_length=30)),
                ('students', fields.IntField(default=0)),
            ],
            options={'table': 'school', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='Program',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=30)),
                ('name', fields.CharField(max_length=200)),
                ('category', fields.CharEnumField(db_index=True, description='SCHOOL_SPECIALIZATION: SCHOOL_SPECIALIZATION\nHIGH_SCHOOL_SPECIALIZATION: HIGH_SCHOOL_SPECIALIZATION\nCAMPUS_TOUR: CAMPUS_TOUR\nCORPORATE_EXPERIENCE: CORPORATE_EXPERIENCE\nVILLAGE_EXPERIENCE_SCHOOL: VILLAGE_EXPERIENCE_SCHOOL\nSHARED_SCHOOL: SHARED_SCHOOL\nOTHER: OTHER', enum_type=ProgramCategory, max_length=40)),
                ('school', fields.ForeignKeyField('models.School', source_field='school_id', null=True, db_constraint=True, to_field='id', related_name='programs', on_delete=OnDelete.RESTRICT)),
                ('fiscal_year', fields.IntField(db_index=True)),
                ('status', fields.CharEnumField(default=ProgramStatus.PLANNED, description='PLANNED: PLANNED\nACTIVE: ACTIVE\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED', enum_type=ProgramStatus, max_length=20)),
                ('description', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'program', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='BudgetLine',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_constraint=True, to_field='id', related_name='budget_lines', on_delete=OnDelete.RESTRICT)),
                ('fiscal_year', fields.IntField(db_index=True)),
                ('funder', fields.CharEnumField(db_index=True, description='CITY: CITY\nOFFICE_OF_EDUCATION: OFFICE_OF_EDUCATION\nPROVINCE: PROVINCE\nOTHER: OTHER', enum_type=Funder, max_length=30)),
                ('allocated', fields.BigIntField(default=0)),
                ('executed', fields.BigIntField(default=0)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'budget_line', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='SyncConflict',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('spreadsheet_key', fields.CharField(max_length=200)),
                ('tab', fields.CharField(max_length=100)),
                ('record_type', fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine', enum_type=RecordType, max_length=20)),
                ('record_id', fields.IntField()),
                ('field', fields.CharField(max_length=50)),
                ('base_value', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('sheet_value', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('database_value', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('applied_side', fields.CharField(description='SHEET or DATABASE', max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('resolved_by', fields.CharField(null=True, max_length=100)),
                ('resolution', fields.CharField(null=True, max_length=10)),
            ],
            options={'table': 'sync_conflict', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Both sides changed one field differently, and both values are kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SyncCursor',
            fields=[
                ('spreadsheet_key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=200)),
                ('last_event_id', fields.BigIntField(default=0)),
                ('drive_version', fields.CharField(null=True, max_length=40)),
                ('last_cycle_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_success_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'sync_cursor', 'app': 'models', 'pk_attr': 'spreadsheet_key', 'table_description': 'Per spreadsheet: how far the worker has read the outbox and how the last cycle went.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SyncIssue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('spreadsheet_key', fields.CharField(max_length=200)),
                ('tab', fields.CharField(max_length=100)),
                ('row_number', fields.IntField(null=True)),
                ('column', fields.CharField(null=True, max_length=100)),
                ('row_key', fields.CharField(null=True, max_length=64)),
                ('value', fields.TextField(default='', unique=False)),
                ('code', fields.CharField(max_length=40)),
                ('problem', fields.TextField(description='Korean, for the person who typed the value', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sync_issue', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A problem a person must fix in the sheet (bad cell, duplicate ID, held mass delete).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SyncLease',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=200)),
                ('holder', fields.CharField(max_length=200)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sync_lease', 'app': 'models', 'pk_attr': 'name', 'table_description': 'Leader lease: one worker syncs a spreadsheet at a time while others stand by.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SyncedRow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('spreadsheet_key', fields.CharField(max_length=200)),
                ('tab', fields.CharField(max_length=100)),
                ('record_type', fields.CharEnumField(description='SCHOOL: School\nPROGRAM: Program\nBUDGET_LINE: BudgetLine', enum_type=RecordType, max_length=20)),
                ('record_id', fields.IntField()),
                ('row_key', fields.CharField(max_length=64)),
                ('snapshot', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('synced_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'sync_row', 'app': 'models', 'unique_together': (('spreadsheet_key', 'tab', 'row_key'), ('spreadsheet_key', 'record_type', 'record_id')), 'pk_attr': 'id', 'table_description': "One record's row in a tab and the last-synced value of every field (the merge base)."},
            bases=['Model'],
        ),
    ]
