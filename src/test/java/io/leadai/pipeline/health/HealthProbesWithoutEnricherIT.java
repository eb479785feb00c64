package io.leadai.pipeline.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadai.pipeline.enrichment.AiFailures;
import io.leadai.pipeline.enrichment.AiServices;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.Probes;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A writer instance (no enricher routes): the AI services' circuits are none of its readiness. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HealthProbesWithoutEnricherIT {

    @LocalManagementPort
    int managementPort;

    @Autowired
    AiFailures aiFailures;

    @Autowired
    AiServices aiServices;

    @DynamicPropertySource
    static void writerGroupOnly(DynamicPropertyRegistry registry) {
        TestInfrastructure.database("health_writer_it").registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "health-writer");
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/writer-*.camel.yaml,classpath:routes/shared-*.camel.yaml");
    }

    @AfterEach
    void closeCircuits() {
        aiServices.requiredCircuits().forEach(CircuitBreaker::transitionToClosedState);
    }

    @Test
    void openAiCircuitsLeaveAWriterReady() {
        Probes probes = new Probes(managementPort);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(probes.readiness().status()).isEqualTo(200));

        aiServices.requiredCircuits().forEach(CircuitBreaker::transitionToOpenState);
        assertThat(aiFailures.circuitStates()).isNotEmpty().allSatisfy((service, state) ->
                assertThat(state).isEqualTo(CircuitBreaker.State.OPEN));

        ApiClient.Response ready = probes.readiness();
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(Probes.camelChecks(ready))
                .containsEntry("consumer:store-ai-results", "UP")
                .containsEntry("consumer:store-ai-errors", "UP")
                .doesNotContainKeys("ai-circuits", "route:enrich-lead-events");
        probes.assertLive();
    }
}
