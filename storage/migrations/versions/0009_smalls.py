"""a sent report remembers how many days after its unit's deadline it was sent (issue 11, point 11)

Revision ID: 0009_smalls
Revises: 0007_checks
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_smalls"
down_revision = "0007_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("days_late", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("days_late")
