from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_quota_bucket')]

    initial = False

    operations = [
        ops.AddField(
            model_name='SyncedRow',
            name='anchor',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='SyncedRow',
            name='placed',
            field=fields.BooleanField(default=True),
        ),
    ]
