from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import Funder
from models.migrations._record_types import record_types_widened
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_sheet_tab_ids')]

    initial = False

    # The record type grows to 30 characters: 'SupplementaryAgreement' is 22.
    operations = [
        ops.CreateModel(
            name='Agreement',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=30)),
                ('title', fields.CharField(max_length=200)),
                ('parties', fields.TextField(default='', description='who signed, e.g. 하남시, 경기도광주하남교육지원청', unique=False)),
                ('signed_on', fields.DateField(null=True)),
                ('term_start', fields.DateField()),
                ('term_end', fields.DateField()),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'agreement', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='SupplementaryAgreement',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=30)),
                ('agreement', fields.ForeignKeyField('models.Agreement', source_field='agreement_id', db_constraint=True, to_field='id', related_name='supplements', on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('signed_on', fields.DateField(null=True)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'supplementary_agreement', 'app': 'models', 'indexes': [Index(fields=['agreement_id'], name='supplementary_agreement_agreement_id_idx')], 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='Allocation',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplementary_agreement', fields.ForeignKeyField('models.SupplementaryAgreement', source_field='supplementary_agreement_id', db_constraint=True, to_field='id', related_name='allocations', on_delete=OnDelete.RESTRICT)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_constraint=True, to_field='id', related_name='allocations', on_delete=OnDelete.RESTRICT)),
                ('fiscal_year', fields.IntField(db_index=True)),
                ('total', fields.BigIntField(description="the program's total for the year, in whole won")),
            ],
            options={'table': 'allocation', 'app': 'models', 'indexes': [Index(fields=['supplementary_agreement_id', 'program_id', 'fiscal_year'], name='allocation_key_idx'), Index(fields=['program_id'], name='allocation_program_id_idx')], 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='AllocationShare',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('allocation', fields.ForeignKeyField('models.Allocation', source_field='allocation_id', db_constraint=True, to_field='id', related_name='shares', on_delete=OnDelete.RESTRICT)),
                ('funder', fields.CharEnumField(db_index=True, description='CITY: CITY\nOFFICE_OF_EDUCATION: OFFICE_OF_EDUCATION\nPROVINCE: PROVINCE\nOTHER: OTHER', enum_type=Funder, max_length=20)),
                ('amount', fields.BigIntField()),
            ],
            options={'table': 'allocation_share', 'app': 'models', 'unique_together': (('allocation', 'funder'),), 'pk_attr': 'id', 'table_description': 'The share one funder pays of an allocation, in whole won, written only with its allocation.'},
            bases=['Model'],
        ),
        *record_types_widened(
            [
                "SCHOOL",
                "PROGRAM",
                "BUDGET_LINE",
                "PARTNER",
                "PROGRAM_SESSION",
                "AGREEMENT",
                "SUPPLEMENTARY_AGREEMENT",
                "ALLOCATION",
            ],
            max_length=30,
        ),
    ]
