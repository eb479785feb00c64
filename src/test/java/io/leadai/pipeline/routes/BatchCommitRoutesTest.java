package io.leadai.pipeline.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A Kafka route whose offsets {@code BatchCommits} commits is safe only when wired completely: the bean is the
 * {@code pausable} step's listener, the endpoint's {@code kafkaManualCommitFactory} (so each record is stamped as it is
 * read), and the first step after {@code pausable} calls its {@code current} method (which drops records read before
 * a rewind). Without the last two a batch could be committed past records it does not hold. A route added or edited
 * without them fails here; the benchmark's floor route included.
 */
class BatchCommitRoutesTest {

    @Test
    void everyRouteCommittingThroughBatchCommitsStampsAndDropsStaleRecords() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Map<String, Object> route : RouteMaps.in("routes", "bench/routes")) {
            Map<?, ?> from = (Map<?, ?>) route.get("from");
            List<?> steps = (List<?>) from.get("steps");
            if (steps == null || steps.isEmpty() || !(((Map<?, ?>) steps.get(0)).get("pausable") instanceof Map<?, ?> pausable)) {
                continue;
            }
            String id = (String) route.get("id");
            Object listener = pausable.get("consumerListener");
            Map<?, ?> parameters = (Map<?, ?>) from.get("parameters");
            assertThat(parameters.get("kafkaManualCommitFactory")).as("kafkaManualCommitFactory of route " + id)
                    .isEqualTo("#" + listener);
            assertThat(steps).as("steps of route " + id).hasSizeGreaterThan(1);
            assertThat(steps.get(1)).as("the step after pausable in route " + id)
                    .isEqualTo(Map.of("bean", Map.of("ref", listener, "method", "current")));
            checked.add(id);
        }
        assertThat(checked).contains("enrich-lead-events", "store-ai-results", "store-ai-errors", "floor-store-leads");
    }
}
