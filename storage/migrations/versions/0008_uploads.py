"""a report joined from several files keeps the originals (issue 11, point 7)

Revision ID: 0008_uploads
Revises: 0007_checks
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_uploads"
down_revision = "0007_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("originals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("originals")
