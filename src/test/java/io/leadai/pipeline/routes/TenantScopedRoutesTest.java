package io.leadai.pipeline.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Row-level security (migration V3) shows a transaction only the tenant it set, and the pipeline's cross-tenant
 * role only to transactions that switch to it. So every route that runs SQL must start a transaction and scope it
 * before its first statement: to the tenant, or, for the pipeline's own routes only, to the pipeline role. A route
 * added without that, or an API route that switches to the pipeline role, fails here.
 */
class TenantScopedRoutesTest {

    private static final String SET_TENANT = "sql:classpath:sql/set-tenant.sql";
    private static final String SET_PIPELINE_ROLE = "sql:classpath:sql/set-pipeline-role.sql";
    /** The relay, the purge and the writers: the only routes whose work is not one tenant's. */
    private static final Set<String> PIPELINE_ROUTES =
            Set.of("send-outbox-batch", "purge-published-outbox", "write-ai-results", "write-ai-errors");

    @Test
    void everyRouteThatRunsSqlScopesItsTransactionFirst() throws IOException {
        List<String> routesWithSql = new ArrayList<>();
        for (Map<String, Object> route : RouteMaps.in("routes")) {
            String id = (String) route.get("id");
            List<String> steps = new ArrayList<>();
            flatten(route.get("from"), steps);
            List<String> statements = steps.stream().filter(s -> s.startsWith("sql:") || s.startsWith("jdbc:")).toList();
            if (statements.isEmpty()) {
                continue;
            }
            routesWithSql.add(id);
            String scope = PIPELINE_ROUTES.contains(id) ? SET_PIPELINE_ROLE : SET_TENANT;
            assertThat(statements.get(0)).as("first statement of route " + id).isEqualTo(scope);
            int transaction = steps.indexOf(steps.stream().filter(s -> s.startsWith("transacted")).findFirst().orElse(""));
            assertThat(transaction).as("route " + id + " starts a transaction before its first statement")
                    .isNotNegative().isLessThan(steps.indexOf(statements.get(0)));
            if (!PIPELINE_ROUTES.contains(id)) {
                assertThat(statements).as("route " + id + " is a tenant's work").doesNotContain(SET_PIPELINE_ROLE);
                // an API operation's commit can fail too: apiTransaction answers that like any database failure
                assertThat(steps.get(transaction)).as("transaction of API route " + id).isEqualTo("transacted:apiTransaction");
            }
        }
        assertThat(routesWithSql).containsAll(PIPELINE_ROUTES)
                .contains("create-lead", "get-lead", "list-leads", "replay-ai-error", "find-ai-result");
    }

    /** The transacted steps and endpoint URIs of a route, in the order they run (branches one after the other). */
    private static void flatten(Object node, List<String> steps) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("transacted".equals(entry.getKey())) {
                    steps.add(entry.getValue() instanceof Map<?, ?> policy && policy.get("ref") != null
                            ? "transacted:" + policy.get("ref") : "transacted");
                } else if ("uri".equals(entry.getKey()) && entry.getValue() instanceof String uri) {
                    steps.add(uri);
                } else {
                    flatten(entry.getValue(), steps);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(element -> flatten(element, steps));
        }
    }
}
