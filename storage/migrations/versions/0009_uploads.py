"""a report joined from several files keeps the originals (issue 11, point 7)

Revision ID: 0009_uploads
Revises: 0008_esign
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_uploads"
down_revision = "0008_esign"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("originals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("originals")
