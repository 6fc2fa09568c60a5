"""search index of report text, báo cáo tổng hợp scope, overdue flags

Revision ID: 0003
Revises: 0002

SQLite: an FTS5 table (tokenizer unicode61 remove_diacritics 2) over a folded copy of each page.
PostgreSQL: a tsvector column (`simple` config over `unaccent`) with a GIN index.
Reports read before this revision are indexed by `storage.search.sync` on the first search.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_pages_report_id", "search_pages", ["report_id"])
    op.create_table(
        "search_state",
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("fields_version", sa.Integer(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_table(
        "summary_reports",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), sa.ForeignKey("communes.id"), nullable=True),
        sa.Column("province", sa.String(length=120), nullable=False),
        sa.Column("dossier_ids", sa.JSON(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index("ix_summary_reports_commune_id", "summary_reports", ["commune_id"])
    op.create_table(
        "overdue_flags",
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("dossier_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("ALTER TABLE search_pages ADD COLUMN tsv tsvector")
        op.execute("CREATE INDEX ix_search_pages_tsv ON search_pages USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE search_pages_fts USING fts5(folded, "
                   "tokenize = 'unicode61 remove_diacritics 2')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_pages_fts")
    op.drop_table("overdue_flags")
    op.drop_index("ix_summary_reports_commune_id", table_name="summary_reports")
    op.drop_table("summary_reports")
    op.drop_table("search_state")
    op.drop_index("ix_search_pages_report_id", table_name="search_pages")
    op.drop_table("search_pages")
