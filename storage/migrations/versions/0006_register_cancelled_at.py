"""when a number was cancelled (the public verification page says when a giấy khen was cancelled)

Revision ID: 0006_papers
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_papers"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.drop_column("cancelled_at")
