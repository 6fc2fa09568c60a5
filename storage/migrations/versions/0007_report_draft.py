"""a report can be a draft: uploaded and read, not yet sent to the police (issue 11, point 2)

Revision ID: 0007_checks
Revises: 0006_papers
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_checks"
down_revision = "0006_papers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("draft")
