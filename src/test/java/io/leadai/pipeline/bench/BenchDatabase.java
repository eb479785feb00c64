package io.leadai.pipeline.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.leadai.pipeline.testinfra.TestInfrastructure;

/**
 * What a benchmark phase left in PostgreSQL, read with plain SQL. Each phase writes under a tenant of its
 * own, so a phase's rows are its tenant's rows.
 *
 * <p>Commit times are PostgreSQL's own ({@code track_commit_timestamp = on}, see {@link PipelineBenchmark}):
 * {@code ai_results.stored_at} is {@code now()}, the start of the writer's transaction, which is earlier than
 * the moment the row becomes visible by as long as that transaction runs.
 */
final class BenchDatabase implements AutoCloseable {

    private final Connection connection;

    BenchDatabase(TestInfrastructure.Database database) {
        try {
            // as the superuser: every tenant's rows, past row-level security
            this.connection = DriverManager.getConnection(database.url(), database.adminUsername(),
                    database.adminPassword());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + database.url(), e);
        }
    }

    /**
     * The leads the events are about, as the API would have left them (status {@code enriching}: their event is
     * on Kafka), so that the result writer updates real rows, as in production.
     */
    void insertLeads(String tenant, List<LeadEventPublisher.Lead> leads) {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO leads (lead_id, tenant_id, business_id, initial_message, status, created_at, updated_at)
                SELECT id, ?, 'bench', 'a lead of the benchmark', 'enriching', now(), now()
                FROM unnest(?::uuid[]) AS id""")) {
            statement.setString(1, tenant);
            statement.setArray(2, connection.createArrayOf("uuid",
                    leads.stream().map(LeadEventPublisher.Lead::leadId).toArray()));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long rows(String tenant) {
        return number("SELECT count(*) FROM ai_results WHERE tenant_id = ?", tenant);
    }

    /** Rows beyond one per lead: every event of a phase is a lead of its own. */
    long duplicateLeads(String tenant) {
        return number("SELECT count(*) - count(DISTINCT lead_id) FROM ai_results WHERE tenant_id = ?", tenant);
    }

    long enrichedLeads(String tenant) {
        return number("SELECT count(*) FROM leads WHERE tenant_id = ? AND status = 'enriched'", tenant);
    }

    long deadLetters(String tenant) {
        return number("SELECT count(*) FROM ai_errors WHERE tenant_id = ?", tenant);
    }

    /** The commit time of each row's transaction, in µs since the epoch, by source event id. */
    Map<String, Long> commitMicros(String tenant) {
        Map<String, Long> commits = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT source_event_id::text,
                       (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint
                FROM ai_results WHERE tenant_id = ?""")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    commits.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return commits;
    }

    /**
     * Where each row's time went, in µs since the epoch: when the enricher began with its event
     * ({@code processed_at} less {@code processing_ms}), when it had the result ({@code processed_at}), when the
     * writer's transaction began ({@code stored_at}) and when it committed. The enricher's clock and PostgreSQL's
     * are the same machine's.
     */
    Map<String, RowTimes> rowTimes(String tenant) {
        Map<String, RowTimes> times = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT source_event_id::text,
                       (extract(epoch FROM processed_at) * 1000000)::bigint - processing_ms * 1000,
                       (extract(epoch FROM processed_at) * 1000000)::bigint,
                       (extract(epoch FROM stored_at) * 1000000)::bigint,
                       (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint
                FROM ai_results WHERE tenant_id = ?""")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    times.put(rows.getString(1), new RowTimes(rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return times;
    }

    record RowTimes(long enrichmentStarted, long enriched, long writerStarted, long committed) {
    }

    /** The process id of this connection's backend; its parent is the PostgreSQL server. */
    long backendPid() {
        return number("SELECT pg_backend_pid()", null);
    }

    private long number(String sql, String tenant) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (tenant != null) {
                statement.setString(1, tenant);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server may be gone already
        }
    }
}
