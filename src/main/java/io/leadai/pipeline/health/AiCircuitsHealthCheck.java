package io.leadai.pipeline.health;

import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadai.pipeline.enrichment.AiFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.stereotype.Component;

/**
 * Readiness of the enricher: DOWN while an AI service's circuit is open, because the enricher then takes no
 * records (its consumer is paused until the circuit half-opens). A Camel health check, so it is listed among
 * Camel's checks in the readiness probe and in Camel's own tooling. Never a liveness check: restarting the
 * process does not bring an AI service back. Only in an instance that runs the enricher routes; elsewhere it
 * is disabled, and Camel leaves disabled checks out.
 */
@Component
public class AiCircuitsHealthCheck extends AbstractHealthCheck {

    /** The route whose presence means this instance runs the enricher group. */
    static final String ENRICHER_ROUTE = "enrich-lead-events";

    private final AiFailures failures;

    public AiCircuitsHealthCheck(AiFailures failures) {
        super("leadai", "ai-circuits");
        this.failures = failures;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isEnabled() {
        CamelContext camel = getCamelContext();
        // route groups are chosen at start-up (ROUTES_INCLUDE_PATTERN), so this is decided per instance
        return super.isEnabled() && camel != null && camel.getRoute(ENRICHER_ROUTE) != null;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, CircuitBreaker.State> states = failures.circuitStates();
        states.forEach((service, state) -> builder.detail("circuit." + service, state.name()));
        // the same rule that pauses the enricher's consumer (AiFailures.servicesUp)
        List<String> blocked = states.entrySet().stream()
                .filter(e -> e.getValue() != CircuitBreaker.State.CLOSED && e.getValue() != CircuitBreaker.State.HALF_OPEN)
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();
        if (blocked.isEmpty()) {
            builder.up();
            return;
        }
        // the actuator shows details, not the message: say it in both
        String reason = "AI circuit " + String.join(", ", blocked)
                + ": lead events are not consumed until the circuit half-opens";
        builder.detail("reason", reason);
        builder.message(reason);
        builder.down();
    }
}
