from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_partner')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SyncCycle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('spreadsheet_key', fields.CharField(db_index=True, max_length=200)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharField(default='RUNNING', description='RUNNING, SUCCEEDED or FAILED', max_length=10)),
                ('to_database', fields.IntField(default=0)),
                ('created', fields.IntField(default=0)),
                ('archived', fields.IntField(default=0)),
                ('to_sheet', fields.IntField(default=0)),
                ('conflicts', fields.IntField(default=0)),
                ('error', fields.TextField(null=True, unique=False)),
                ('reverted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reverted_by', fields.CharField(null=True, max_length=100)),
            ],
            options={'table': 'sync_cycle', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ChangeEvent',
            name='cycle_id',
            field=fields.IntField(null=True, db_index=True),
        ),
    ]
