package io.leadai.pipeline.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Tenant isolation by PostgreSQL itself (V3): whatever query the application's role runs, it sees and writes only
 * the tenant its transaction set, and nothing without one. Checked against the migrated database the application
 * runs on, logged in as the application does.
 */
class RowLevelSecurityIT extends PipelineIntegrationTest {

    private static final List<String> TENANT_TABLES = List.of("leads", "lead_messages", "outbox", "ai_results",
            "ai_errors");

    /** Tables of the public schema with a tenant_id column, and what is missing of their isolation. */
    private static final String UNISOLATED_TABLES = """
            SELECT c.relname,
                   c.relrowsecurity AS enabled,
                   c.relforcerowsecurity AS forced,
                   EXISTS (SELECT 1 FROM pg_policies p
                           WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                             AND p.cmd = 'ALL' AND p.roles = '{public}' AND p.permissive = 'PERMISSIVE'
                             AND p.qual LIKE '%tenant_id%current_setting(''app.tenant_id''%'
                             AND p.with_check LIKE '%tenant_id%current_setting(''app.tenant_id''%') AS tenant_policy
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            ORDER BY c.relname""";

    private Environment environment;
    private final String tenantA = "rls-a-" + UUID.randomUUID();
    private final String tenantB = "rls-b-" + UUID.randomUUID();

    @Autowired
    void environment(Environment environment) {
        this.environment = environment;
    }

    @BeforeEach
    void rowsOfTwoTenants() {
        for (String tenant : List.of(tenantA, tenantB)) {
            UUID leadId = UUID.randomUUID();
            jdbc.update("INSERT INTO leads (lead_id, tenant_id, business_id, initial_message, status, created_at, updated_at)"
                    + " VALUES (?, ?, 'shop', 'hello', 'ai_failed', now(), now())", leadId, tenant);
            jdbc.update("INSERT INTO lead_messages (message_id, lead_id, tenant_id, business_id, message_text, created_at)"
                    + " VALUES (?, ?, ?, 'shop', 'more', now())", UUID.randomUUID(), leadId, tenant);
            // published already, so the running relay leaves it alone
            jdbc.update("INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, published_at)"
                    + " VALUES (?, 'lead.created', ?, ?, '{}', now(), now())", UUID.randomUUID(), leadId.toString(),
                    tenant);
            jdbc.update("INSERT INTO ai_results (source_event_id, result_event_id, source_topic, tenant_id, business_id,"
                    + " lead_id, text, result, processed_at) VALUES (?, ?, 'lead.created', ?, 'shop', ?, 'hello', '{}',"
                    + " now())", UUID.randomUUID(), UUID.randomUUID(), tenant, leadId);
            jdbc.update("INSERT INTO ai_errors (error_id, tenant_id, lead_id, original_topic, original_partition,"
                    + " original_offset, payload, reason, failed_at) VALUES (?, ?, ?, 'lead.created', 0, ?, '\\x7b7d',"
                    + " 'test', now())", UUID.randomUUID(), tenant, leadId, System.nanoTime());
        }
    }

    @Test
    void everyTableWithATenantIdHasAnEnabledAndForcedTenantPolicy() throws SQLException {
        try (Connection connection = admin()) {
            List<String> tables = new ArrayList<>();
            assertThat(unisolated(connection, tables)).as("tables with a tenant_id but no forced tenant policy")
                    .isEmpty();
            assertThat(tables).containsAll(TENANT_TABLES);

            // the check sees a table added without a policy (in a transaction that leaves nothing behind)
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE rls_probe (id int, tenant_id text)");
                assertThat(unisolated(connection, new ArrayList<>())).containsExactly("rls_probe");
                statement.execute("ALTER TABLE rls_probe ENABLE ROW LEVEL SECURITY");
                assertThat(unisolated(connection, new ArrayList<>())).containsExactly("rls_probe");
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void theApplicationRoleIsNeitherOwnerNorSuperuserAndDoesNotBypassRowLevelSecurity() throws SQLException {
        try (Connection connection = application();
             Statement statement = connection.createStatement();
             ResultSet role = statement.executeQuery("""
                     SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                            (SELECT count(*) FROM pg_tables t
                             WHERE t.schemaname = 'public' AND t.tableowner = r.rolname) AS owned_tables,
                            pg_has_role(r.rolname, '%s', 'USAGE') AS inherits_pipeline,
                            pg_has_role(r.rolname, '%s', 'MEMBER') AS may_switch_to_pipeline
                     FROM pg_roles r WHERE r.rolname = current_user""".formatted(
                     TestInfrastructure.PIPELINE_ROLE, TestInfrastructure.PIPELINE_ROLE))) {
            assertThat(role.next()).isTrue();
            assertThat(role.getString("rolname")).isEqualTo(environment.getProperty("spring.datasource.username"))
                    .isNotEqualTo(environment.getProperty("spring.flyway.user"));
            assertThat(role.getBoolean("rolsuper")).as("superuser").isFalse();
            assertThat(role.getBoolean("rolbypassrls")).as("BYPASSRLS").isFalse();
            assertThat(role.getInt("owned_tables")).as("tables it owns").isZero();
            assertThat(role.getBoolean("inherits_pipeline")).as("inherits the pipeline role's privileges").isFalse();
            assertThat(role.getBoolean("may_switch_to_pipeline")).isTrue();
        }
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet owners = statement.executeQuery("SELECT DISTINCT tableowner FROM pg_tables"
                     + " WHERE schemaname = 'public' AND tablename IN ('leads', 'lead_messages', 'outbox', 'ai_results', 'ai_errors')")) {
            assertThat(owners.next()).isTrue();
            assertThat(owners.getString(1)).isEqualTo(environment.getProperty("spring.flyway.user"));
        }
    }

    @Test
    void rowLevelSecurityAloneHidesOtherTenantsRows() throws SQLException {
        try (Connection connection = application()) {
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            for (String table : TENANT_TABLES) {
                // no tenant filter in the query: only the policy stands between tenant A and tenant B's rows
                assertThat(tenantsIn(connection, "SELECT tenant_id FROM " + table)).as(table).containsOnly(tenantA);
            }
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.executeUpdate("UPDATE leads SET status = 'enriching'")).isEqualTo(1);
                assertThat(statement.executeUpdate("UPDATE ai_errors SET replayed_at = now()")).isEqualTo(1);
            }
            connection.rollback();
        }
    }

    @Test
    void withoutATenantTheApplicationRoleSeesNothing() throws SQLException {
        try (Connection connection = application()) {
            for (String table : TENANT_TABLES) {
                assertThat(tenantsIn(connection, "SELECT tenant_id FROM " + table)).as(table).isEmpty();
            }
            // a tenant set in a transaction ends with it: the pooled connection's next user sees nothing
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            connection.commit();
            connection.setAutoCommit(true);
            assertThat(tenantsIn(connection, "SELECT tenant_id FROM leads")).isEmpty();
        }
    }

    @Test
    void aTenantCannotWriteRowsOfAnother() throws SQLException {
        try (Connection connection = application()) {
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO leads (lead_id, tenant_id,"
                    + " business_id, initial_message, created_at, updated_at) VALUES (?, ?, 'shop', 'hi', now(), now())")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, tenantB);
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class)
                        .hasMessageContaining("row-level security");
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void onlyTheSwitchedPipelineRoleWorksAcrossTenantsAndOnlyAsFarAsThePipelineNeeds() throws SQLException {
        try (Connection connection = application()) {
            connection.setAutoCommit(false);
            try (PreparedStatement role = connection.prepareStatement("SELECT set_config('role', ?, true)")) {
                role.setString(1, TestInfrastructure.PIPELINE_ROLE);
                role.execute();
            }
            assertThat(tenantsIn(connection, "SELECT tenant_id FROM outbox")).contains(tenantA, tenantB);
            try (Statement statement = connection.createStatement()) {
                // the relay and the writers never create leads
                assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO leads (lead_id, tenant_id, business_id,"
                        + " initial_message, created_at, updated_at) VALUES (gen_random_uuid(), 'x', 'x', 'x', now(), now())"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            } finally {
                connection.rollback();
            }
            // the switch ended with the transaction
            connection.setAutoCommit(true);
            assertThat(tenantsIn(connection, "SELECT tenant_id FROM outbox")).isEmpty();
        }
    }

    private static List<String> unisolated(Connection connection, List<String> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(UNISOLATED_TABLES)) {
            while (rows.next()) {
                tables.add(rows.getString("relname"));
                if (!rows.getBoolean("enabled") || !rows.getBoolean("forced") || !rows.getBoolean("tenant_policy")) {
                    missing.add(rows.getString("relname"));
                }
            }
        }
        return missing;
    }

    private static void setTenant(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
            statement.setString(1, tenant);
            statement.execute();
        }
    }

    /** The tenant of each row a query returns. */
    private List<String> tenantsIn(Connection connection, String query) throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                tenants.add(rows.getString(1));
            }
        }
        return tenants;
    }

    /** Logged in as the application is. */
    private Connection application() throws SQLException {
        return DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("test.database.admin-username"),
                environment.getProperty("test.database.admin-password"));
    }
}
