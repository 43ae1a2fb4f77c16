from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0014_token_clock')]

    initial = False

    # Nullable: an existing cursor row has no tab ids yet (the next cycle that reads fills them).
    operations = [
        ops.AddField(
            model_name='SyncCursor',
            name='tab_ids',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
