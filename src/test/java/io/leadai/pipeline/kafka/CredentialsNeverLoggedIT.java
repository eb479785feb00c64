package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.leadai.pipeline.LeadAiPipelineApplication;
import io.leadai.pipeline.security.ApiKeys;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestCertificates;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Credentials come from the environment and never reach the logs: the application started with a Kafka SASL
 * password (SASL_SSL, SCRAM), an SSL keystore password, a database password and an API key's hash, Kafka's own
 * logging at INFO (its client configuration dumps included), one API request with that API key; none of the
 * secret values appears in anything logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsNeverLoggedIT {

    private static final String SASL_PASSWORD = "sasl-Pw-7f3c9e1d2b";
    private static final String KEYSTORE_PASSWORD = "keystore-Pw-91ab4c0e";
    private static final String DATABASE_PASSWORD = "database-Pw-5e8d2a7f";
    private static final String API_KEY = "api-key-3d9f0b6c71e24a58b1c7e0f4a2d96b3e";

    @Test
    void noCredentialAppearsInTheLogs(CapturedOutput output, @TempDir Path dir) throws Exception {
        Path keystore = TestCertificates.keystore(dir.resolve("client.p12"), KEYSTORE_PASSWORD);
        TestInfrastructure.Database database = databaseWithRole("lead_ai_secrets", DATABASE_PASSWORD);

        Map<String, Object> env = new HashMap<>(System.getenv());
        env.putAll(Map.of(
                "SERVER_PORT", "0",
                "MANAGEMENT_PORT", "0",
                "KAFKA_BROKERS", TestInfrastructure.kafkaBootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"lead-ai-pipeline\" password=\"" + SASL_PASSWORD + "\";",
                "KAFKA_SSL_KEYSTORE_LOCATION", keystore.toString(),
                "KAFKA_SSL_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD));
        env.put("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12");
        env.putAll(database.environment());
        env.put("API_KEYS", "acme:" + ApiKeys.hash(API_KEY));
        // the worst case: Kafka's client configuration dumps, which the application normally turns off
        env.put("LOGGING_LEVEL_ORG_APACHE_KAFKA", "INFO");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));

        SpringApplication application = new SpringApplication(LeadAiPipelineApplication.class);
        application.setEnvironment(environment);
        try (ConfigurableApplicationContext context = application.run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            ApiClient.Response created = new ApiClient(port).withApiKey(API_KEY).postJson("/api/v1/leads",
                    "{\"tenant_id\": \"acme\", \"business_id\": \"shop-1\", \"initial_message\": \"2 laptops\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }

        String logged = output.getAll();
        // the logs were looked at where the settings show: every Kafka client printed its configuration,
        // the admin client with the routes' security settings, passwords masked by Kafka
        assertThat(logged).contains("ConsumerConfig values:", "ProducerConfig values:", "AdminClientConfig values:");
        String adminDump = logged.substring(logged.indexOf("AdminClientConfig values:"));
        assertThat(adminDump).contains("security.protocol = SASL_SSL", "sasl.mechanism = SCRAM-SHA-512",
                "sasl.jaas.config = [hidden]", "ssl.keystore.password = [hidden]");
        assertThat(logged).doesNotContain(SASL_PASSWORD, KEYSTORE_PASSWORD, DATABASE_PASSWORD, API_KEY);
    }

    /** A database whose application role logs in with this password, so the password is the one really in use. */
    private static TestInfrastructure.Database databaseWithRole(String role, String password) throws Exception {
        TestInfrastructure.Database database = TestInfrastructure.database("credentials_it");
        try (Connection connection = DriverManager.getConnection(database.url(), database.adminUsername(),
                database.adminPassword());
             Statement statement = connection.createStatement()) {
            TestInfrastructure.createAppRole(statement, role, password);
        }
        return database.withApplicationRole(role, password);
    }
}
