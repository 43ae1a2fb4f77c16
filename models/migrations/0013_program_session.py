from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from models.migrations._record_types import record_types_widened
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_sync_cycle')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProgramSession',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('archived_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.RESTRICT)),
                ('held_on', fields.DateField(db_index=True)),
                ('place', fields.CharField(default='', description='where, when no partner hosts it', max_length=200)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.RESTRICT)),
                ('elementary', fields.IntField(default=0, description='participants from elementary schools')),
                ('middle', fields.IntField(default=0, description='participants from middle schools')),
                ('high', fields.IntField(default=0, description='participants from high schools')),
                ('special', fields.IntField(default=0, description='participants from special schools')),
                ('hours', fields.DecimalField(default=0, max_digits=5, decimal_places=1)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'program_session', 'app': 'models', 'indexes': [Index(fields=['program_id'], name='program_session_program_id_idx'), Index(fields=['partner_id'], name='program_session_partner_id_idx')], 'pk_attr': 'id'},
            bases=['TimestampedRecord'],
        ),
        *record_types_widened(["SCHOOL", "PROGRAM", "BUDGET_LINE", "PARTNER", "PROGRAM_SESSION"]),
    ]
