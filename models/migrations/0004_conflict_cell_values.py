from tortoise import migrations
from tortoise.migrations import operations as ops
from models.sync_state import CellValueField
from orjson import loads
from tortoise.fields.data import JSON_DUMPS

class Migration(migrations.Migration):
    dependencies = [('models', '0003_sync_row_pending')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='SyncConflict',
            name='base_value',
            field=CellValueField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='SyncConflict',
            name='database_value',
            field=CellValueField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='SyncConflict',
            name='sheet_value',
            field=CellValueField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
