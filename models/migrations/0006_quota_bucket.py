from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_sync_cursor_event_gaps')]

    initial = False

    operations = [
        ops.CreateModel(
            name='QuotaBucket',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, description="the credential's identity", max_length=200)),
                ('tokens', fields.FloatField(description='requests that may be sent at updated_at')),
                ('updated_at', fields.FloatField(description='seconds since the epoch')),
            ],
            options={'table': 'quota_bucket', 'app': 'models', 'pk_attr': 'name', 'table_description': 'The Sheets request budget of one credential, shared by every process that uses it.'},
            bases=['Model'],
        ),
    ]
