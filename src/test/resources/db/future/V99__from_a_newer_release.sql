-- A migration of a release newer than this one: a database that has it must be refused, not guessed at.
CREATE TABLE from_a_newer_release (x INTEGER);
