package io.leadai.pipeline.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A record whose work a stopping application cut short is kept, not dead-lettered. */
class AiFailuresTest {

    private static final Exception REFUSED_400 = new HttpOperationFailedException("http://intent", 400, "Bad Request",
            null, null, "{}");

    @Test
    void workRefusedOrInterruptedIsCutShortAnAnswerIsNot() {
        DefaultCamelContext camel = new DefaultCamelContext();

        assertThat(AiFailures.cutShortByStop(camel, new CamelExecutionException("refused", null,
                new RejectedExecutionException()))).isTrue();
        assertThat(AiFailures.cutShortByStop(camel, new RuntimeException(new InterruptedException()))).isTrue();
        assertThat(AiFailures.cutShortByStop(camel, REFUSED_400)).isFalse();
    }

    @Test
    void aRecordTakenBeforeTheAiServiceRoutesStartedIsKeptNotDeadLettered() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask-intent-service").routeId("ask-intent-service").routeGroup(AiServices.ROUTE_GROUP)
                        .autoStartup(false).log("asked");
            }
        });
        camel.start();
        try {
            assertThatThrownBy(() -> AiServices.serviceEndpoints(camel, true))
                    .isInstanceOf(AiServiceUnavailableException.class).hasMessageContaining("ask-intent-service");
            assertThat(AiFailures.unavailable(new CamelExecutionException("failed", null,
                    new AiServiceUnavailableException("not started", null)))).isNotNull();
            assertThat(AiFailures.unavailable(REFUSED_400)).isNull();

            camel.getRouteController().startRoute("ask-intent-service");
            assertThat(AiServices.serviceEndpoints(camel, true)).containsExactly("direct://ask-intent-service");
            // the start-up not yet done: the entity service's route may not be added yet, though intent's is started
            assertThatThrownBy(() -> AiServices.serviceEndpoints(camel, false))
                    .isInstanceOf(AiServiceUnavailableException.class).hasMessageContaining("still starting");
        } finally {
            camel.stop();
        }
        assertThatThrownBy(() -> AiServices.serviceEndpoints(new DefaultCamelContext(), true))
                .isInstanceOf(AiServiceUnavailableException.class);
    }

    @Test
    void anyFailureWhileTheContextStopsIsCutShort() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work").process(exchange -> {
                    inFlight.countDown();
                    release.await(10, TimeUnit.SECONDS);
                });
            }
        });
        camel.start();
        camel.createProducerTemplate().asyncSendBody("direct:work", "record");
        assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();

        // a graceful stop waits for the exchange in flight
        Thread stopping = new Thread(camel::stop);
        stopping.start();
        await().atMost(Duration.ofSeconds(5)).until(camel::isStopping);
        assertThat(AiFailures.cutShortByStop(camel, REFUSED_400)).isTrue();

        release.countDown();
        stopping.join(10_000);
        assertThat(camel.isStopped()).isTrue();
    }
}
