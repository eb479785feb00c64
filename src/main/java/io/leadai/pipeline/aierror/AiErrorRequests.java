package io.leadai.pipeline.aierror;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.leadai.pipeline.api.ApiException;
import io.leadai.pipeline.api.FieldProblem;
import io.leadai.pipeline.api.PathIds;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.lead.Accepted;
import io.leadai.pipeline.lead.LeadIntake;
import io.leadai.pipeline.security.AuthenticatedTenant;
import io.leadai.pipeline.tracing.Traces;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** {@code GET /api/v1/ai-errors} and {@code POST /api/v1/ai-errors/{error_id}/replay}. */
@Component("aiErrorRequests")
public class AiErrorRequests {

    private final AppProperties app;
    private final Traces traces;

    public AiErrorRequests(AppProperties app, Traces traces) {
        this.app = app;
        this.traces = traces;
    }

    /** Parameters of select-ai-errors.sql. */
    public Map<String, Object> listQuery(@Variable(AuthenticatedTenant.VARIABLE) String tenantId,
                                         @Header("limit") String limit) {
        Map<String, Object> query = new HashMap<>();
        query.put("tenant_id", LeadIntake.tenantId(tenantId));
        query.put("limit", LeadIntake.pageSize(limit, app.api()));
        return query;
    }

    /** Parameters of replay-ai-error.sql: the replayed event leaves the outbox in the trace of this request. */
    public Map<String, Object> lookup(@Header("error_id") String errorId,
                                      @Variable(AuthenticatedTenant.VARIABLE) String tenantId,
                                      Exchange exchange) {
        Map<String, Object> key = new HashMap<>(traces.current(exchange).parameters());
        key.put("tenant_id", LeadIntake.tenantId(tenantId));
        key.put("error_id", PathIds.uuid(errorId, "error_id"));
        return key;
    }

    /** Why a replay claimed nothing: no such dead letter for the tenant (404), or replayed before (409). */
    public void refuse(@Body List<Map<String, Object>> state) {
        if (state == null || state.isEmpty()) {
            throw ApiException.notFound("ai error", "error_id", "no such dead letter for this tenant");
        }
        throw new ApiException(409, "already replayed", List.of(new FieldProblem("error_id",
                "was replayed at " + ((Timestamp) state.get(0).get("replayed_at")).toInstant())));
    }

    /** The 202 answer: the event now waiting in the outbox for its original topic. */
    public Accepted replayed(@Variable("replayed") List<Map<String, Object>> replayed) {
        Map<String, Object> row = replayed.get(0);
        return new Accepted(null, null, (UUID) row.get("event_id"), (String) row.get("topic"));
    }

    public Map<String, List<AiErrorView>> list(@Body List<Map<String, Object>> rows) {
        return Map.of("items", rows.stream().map(AiErrorRequests::view).toList());
    }

    private static AiErrorView view(Map<String, Object> row) {
        return new AiErrorView((UUID) row.get("error_id"), (String) row.get("tenant_id"), (UUID) row.get("lead_id"),
                (String) row.get("event_id"), (String) row.get("original_topic"),
                ((Number) row.get("original_partition")).intValue(), ((Number) row.get("original_offset")).longValue(),
                (String) row.get("original_key"), (String) row.get("exception_class"), (String) row.get("cause_class"),
                (String) row.get("reason"), ((Number) row.get("attempts")).intValue(), (String) row.get("route_id"),
                instant(row.get("failed_at")), instant(row.get("replayed_at")), instant(row.get("created_at")));
    }

    private static Instant instant(Object value) {
        return value == null ? null : ((Timestamp) value).toInstant();
    }
}
