"""a sent report remembers how many days after its unit's deadline it was sent (issue 11, point 11);
a unit remembers who heads it, as its registration names them (issue 11, smaller items)

Revision ID: 0010_smalls
Revises: 0009_uploads
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_smalls"
down_revision = "0009_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("days_late", sa.Integer(), nullable=True))
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("head_name", sa.String(120), nullable=True))
        batch.add_column(sa.Column("head_title", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("head_title")
        batch.drop_column("head_name")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("days_late")
