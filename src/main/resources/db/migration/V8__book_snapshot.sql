-- Vorzimmer schema, version 8: a binary snapshot of each stored book version (book.BookSnapshot), written in the
-- same transaction as its YAML text, so the server starts without parsing YAML. Nullable: rows stored before
-- this version have none and get one the first time they are loaded. The YAML text stays the source of truth.
-- Portable SQL (see V1); ${bytes} is BLOB in SQLite, BYTEA in PostgreSQL.
ALTER TABLE book_versions ADD COLUMN snapshot ${bytes};
