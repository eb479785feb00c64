package io.leadai.pipeline.config;

import java.io.Closeable;
import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The connection pool behind a proxy that takes a connection at a transaction's first statement, not when the
 * transaction begins. Every API operation is a transaction (its first statement sets the tenant for row-level
 * security); begun eagerly, a database outage would fail the transaction before the route's error handling runs,
 * and the client would get a bare 500 instead of the 503 the first statement's failure gets. A request refused
 * before its first statement (a bad body) never takes a connection at all.
 */
final class LazyConnectionPool extends LazyConnectionDataSourceProxy implements Closeable {

    private final HikariDataSource pool;

    LazyConnectionPool(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
        // PostgreSQL's and the pool's defaults, known without asking a database that may not be up yet
        setDefaultAutoCommit(true);
        setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    /** The context's shutdown closes the pool (Spring infers the destroy method from this one). */
    @Override
    public void close() {
        pool.close();
    }
}
