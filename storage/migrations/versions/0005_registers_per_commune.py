"""number registers per commune (one deployment serves many communes)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD = sa.Table(
    "number_registers", sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("issuer_code", sa.String(length=30), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("last_seq", sa.Integer(), nullable=False),
)


def upgrade() -> None:
    # Existing registers belonged to the only commune there was.
    if op.get_bind().dialect.name == "sqlite":   # SQLite: rebuild without the old unnamed unique constraint
        with op.batch_alter_table("number_registers", copy_from=OLD, recreate="always") as batch:
            batch.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
    else:
        op.add_column("number_registers", sa.Column("commune_id", sa.Integer(), nullable=True))
        op.drop_constraint("number_registers_issuer_code_year_key", "number_registers", type_="unique")
    op.execute("UPDATE number_registers SET commune_id = (SELECT MIN(id) FROM communes)")
    with op.batch_alter_table("number_registers") as batch:
        batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_number_registers_commune", "communes", ["commune_id"], ["id"])
        batch.create_unique_constraint("uq_number_registers_commune", ["commune_id", "issuer_code", "year"])


def downgrade() -> None:
    with op.batch_alter_table("number_registers") as batch:
        batch.drop_constraint("uq_number_registers_commune", type_="unique")
        batch.drop_constraint("fk_number_registers_commune", type_="foreignkey")
        batch.drop_column("commune_id")
        batch.create_unique_constraint("number_registers_issuer_code_year_key", ["issuer_code", "year"])
