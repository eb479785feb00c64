package io.leadai.pipeline.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What a fault test's stream left in PostgreSQL, lead by lead, read with plain SQL: every lead of the tenant
 * must end either enriched once (status {@code enriched} and exactly one {@code ai_results} row, keyed by the
 * {@code event_id} of its {@code lead.created} event in the outbox) or dead-lettered once (status
 * {@code ai_failed} and exactly one {@code ai_errors} row), and every lead the API accepted must be there.
 *
 * @param accepted       leads the API answered 201 for
 * @param leads          leads of the tenant in the database: the accepted ones, plus any written whose 201 was lost
 * @param enriched       leads enriched once
 * @param deadLettered   leads dead-lettered once
 * @param pending        leads without any outcome row (yet)
 * @param missing        accepted leads not in the database at all
 * @param duplicateRows  outcome rows beyond the first of a lead (results and dead letters together)
 * @param inconsistent   leads whose outcome row and status disagree, or whose result is of another event
 */
record Reconciliation(int accepted, int leads, int enriched, int deadLettered, int pending, int missing,
                      int duplicateRows, int inconsistent, List<String> problems) {

    /** Accepted leads without an outcome: the figure that must be 0. */
    int lost() {
        return pending + missing;
    }

    /** Written leads the client never got a 201 for (its request's answer was lost; it retried). */
    int unacknowledged() {
        return leads - (accepted - missing);
    }

    /** Every lead has its outcome, and only one. */
    boolean settled() {
        return lost() == 0 && duplicateRows == 0 && inconsistent == 0 && enriched + deadLettered == leads;
    }

    /** No lead is still waiting for its outcome (whether or not the outcomes are right). */
    boolean done() {
        return lost() == 0;
    }

    static Reconciliation read(JdbcTemplate jdbc, String tenant, Set<String> acceptedLeadIds) {
        Counts counts = new Counts();
        jdbc.query("""
                SELECT l.lead_id::text, l.status,
                       (SELECT count(*) FROM ai_results r WHERE r.lead_id = l.lead_id) AS results,
                       (SELECT count(*) FROM ai_results r WHERE r.source_event_id = o.event_id) AS own_results,
                       (SELECT count(*) FROM ai_errors e WHERE e.lead_id = l.lead_id) AS errors,
                       (SELECT string_agg(e.reason, '; ') FROM ai_errors e WHERE e.lead_id = l.lead_id) AS reasons
                FROM leads l LEFT JOIN outbox o ON o.message_key = l.lead_id::text
                WHERE l.tenant_id = ?""", (RowCallbackHandler) row -> counts.add(row.getString(1), row.getString(2),
                row.getInt(3), row.getInt(4), row.getInt(5), row.getString(6)), tenant);
        int missing = (int) acceptedLeadIds.stream().filter(id -> !counts.found.contains(id)).count();
        return new Reconciliation(acceptedLeadIds.size(), counts.found.size(), counts.enriched, counts.deadLettered,
                counts.pending, missing, counts.duplicateRows, counts.inconsistent, List.copyOf(counts.problems));
    }

    /** The leads read so far, by outcome. */
    private static final class Counts {
        final Set<String> found = new HashSet<>();
        int enriched;
        int deadLettered;
        int pending;
        int duplicateRows;
        int inconsistent;
        /** The first few leads dead-lettered, with more than one outcome or an inconsistent one: what to look at. */
        final List<String> problems = new ArrayList<>();

        void add(String leadId, String status, int results, int ownResults, int errors, String reasons) {
            found.add(leadId);
            int outcomes = results + errors;
            if (outcomes == 0) {
                pending++;
            } else if (outcomes > 1) {
                duplicateRows += outcomes - 1;
                problem(leadId, status, results, ownResults, Integer.toString(errors));
            } else if (results == 1 && ownResults == 1 && "enriched".equals(status)) {
                enriched++;
            } else if (errors == 1 && "ai_failed".equals(status)) {
                deadLettered++;
                problem(leadId, status, results, ownResults, errors + " (" + reasons + ")");
            } else {
                inconsistent++;
                problem(leadId, status, results, ownResults, Integer.toString(errors));
            }
        }

        private void problem(String leadId, String status, int results, int ownResults, String errors) {
            if (problems.size() < 5) {
                problems.add("lead %s: status %s, %d results (%d of its event), %s dead letters"
                        .formatted(leadId, status, results, ownResults, errors));
            }
        }
    }

    @Override
    public String toString() {
        return ("%d accepted, %d leads in the database, %d enriched, %d dead-lettered, %d lost (%d pending, %d missing), "
                + "%d duplicate rows, %d inconsistent %s").formatted(accepted, leads, enriched, deadLettered, lost(), pending,
                missing, duplicateRows, inconsistent, problems);
    }
}
