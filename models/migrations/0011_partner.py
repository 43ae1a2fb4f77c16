from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import PartnerKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from models.migrations._record_types import record_types_widened

class Migration(migrations.Migration):
    dependencies = [('models', '0010_foreign_key_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Partner',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=30)),
                ('name', fields.CharField(max_length=100)),
                ('kind', fields.CharEnumField(db_index=True, description='UNIVERSITY: UNIVERSITY\nCOMPANY: COMPANY\nVILLAGE: VILLAGE\nINSTITUTION: INSTITUTION\nOTHER: OTHER', enum_type=PartnerKind, max_length=20)),
                ('district', fields.CharField(default='', db_index=True, description='권역, blank outside Hanam', max_length=30)),
                ('phone', fields.CharField(default='', description="the organisation's public phone", max_length=30)),
                ('email', fields.CharField(default='', description="the organisation's public e-mail", max_length=100)),
                ('homepage', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'partner', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        ops.CreateModel(
            name='ProgramPartner',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_constraint=True, to_field='id', related_name='partner_links', on_delete=OnDelete.RESTRICT)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, db_index=True, to_field='id', related_name='program_links', on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'program_partner', 'app': 'models', 'unique_together': (('program', 'partner'),), 'pk_attr': 'id', 'table_description': 'A partner taking part in a program, and in what role (장소 제공, 강사 파견, ...).'},
            bases=['Model'],
        ),
        *record_types_widened(["SCHOOL", "PROGRAM", "BUDGET_LINE", "PARTNER"]),
    ]
