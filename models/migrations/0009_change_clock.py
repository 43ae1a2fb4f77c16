from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_api_token_expiry')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChangeClock',
            fields=[
                ('id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('count', fields.BigIntField(default=0)),
            ],
            options={'table': 'change_clock', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row counting committed write transactions: the response cache\'s exact freshness test.'},
            bases=['Model'],
        ),
    ]
