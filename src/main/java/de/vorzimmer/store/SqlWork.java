package de.vorzimmer.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work run by {@link Database} on its connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
