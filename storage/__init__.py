"""Database models, sessions, migrations and the content-addressed file store."""
