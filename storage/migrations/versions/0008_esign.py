"""electronic signing: signing keys (person and body), trusted roots, signature state of documents,
signatures read from uploaded reports

Revision ID: 0008_esign
Revises: 0007_checks
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_esign"
down_revision = "0007_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("commune_id", sa.Integer(), sa.ForeignKey("communes.id"), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True, index=True),
        sa.Column("p12_sha256", sa.String(length=64), nullable=True),
        sa.Column("token_module", sa.String(length=300), nullable=True),
        sa.Column("token_label", sa.String(length=120), nullable=True),
        sa.Column("key_label", sa.String(length=120), nullable=True),
        sa.Column("image_sha256", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "trusted_roots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("cert_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("signed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sealed_by_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("signatures", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("signatures")
    with op.batch_alter_table("documents") as batch:
        for column in ("sealed_by_id", "sealed_at", "signed_by_id", "signed_at"):
            batch.drop_column(column)
    op.drop_table("trusted_roots")
    op.drop_table("signing_keys")
