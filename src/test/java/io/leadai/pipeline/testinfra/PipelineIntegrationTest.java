package io.leadai.pipeline.testinfra;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that share one application: real HTTP on a random port, the shared
 * Kafka broker and a database of its own on the shared PostgreSQL (see {@link TestInfrastructure}).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the Prometheus endpoint as in production (Spring Boot tests leave metrics exports off otherwise)
@AutoConfigureObservability(tracing = false)
public abstract class PipelineIntegrationTest {

    @LocalServerPort
    protected int port;

    /** What the pipeline stored, every tenant's rows (see {@link TestInfrastructure#adminJdbc}). */
    protected JdbcTemplate jdbc;

    @Autowired
    void adminJdbc(Environment environment) {
        jdbc = TestInfrastructure.adminJdbc(environment);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.database("pipeline_it").registerIn(registry);
        // ApiClient's tokens are accepted (tenant from the token)
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("app.kafka.partitions", () -> TestInfrastructure.PARTITIONS);
        TestInfrastructure.ownConsumerGroups(registry, "pipeline-it");
        registry.add("ai.intent.url", () -> TestInfrastructure.aiServices().baseUrl() + "/intent");
        registry.add("ai.entity.url", () -> TestInfrastructure.aiServices().baseUrl() + "/entities");
        registry.add("camel.component.http.response-timeout", () -> 1000);
        registry.add("app.enrichment.circuit-breaker.wait-duration-in-open-state", () -> "2s");
        registry.add("app.enrichment.retry-backoff", () -> "500ms");
        registry.add("app.kafka-test.result-wait", () -> "3s");
        // the outbox and consumer lag gauges follow within a second
        registry.add("app.metrics.refresh-interval", () -> "1s");
    }

    protected ApiClient api() {
        return new ApiClient(port);
    }

    protected TestKafka kafka() {
        return new TestKafka(TestInfrastructure.kafkaBootstrapServers());
    }
}
