"""SQLite storage: the only package that talks to sqlite-utils (which applies the migrations)."""
