from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_sync_cursor_notes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='SyncedRow',
            name='pending',
            field=fields.BooleanField(default=False),
        ),
    ]
