"""API tokens, of which only a hash of the secret is stored."""

from tortoise import fields
from tortoise.models import Model

from models.enums import Role


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=10)
    # SHA-256 of the secret; the secret itself is shown once at creation.
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    # None: valid until revoked.
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
