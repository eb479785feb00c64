package io.leadai.pipeline.reliability;

import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.leadai.pipeline.testinfra.ApiClient;

/**
 * The fault tests' load: {@code count} leads created through the API at a steady rate, each by a client that
 * retries until it gets its 201, as an integration would: after a 503 (the database is away) and after a request
 * that got no answer (the application is down). A lead the API answered 201 for is accepted; the pipeline owes it
 * an enrichment or a dead letter. A request that was written but whose answer was lost leaves a lead the client
 * never heard of: the reconciliation counts those separately.
 */
final class LeadStream implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);

    private final ApiClient api;
    private final String tenant;
    private final String marker;
    private final ExecutorService senders = Executors.newFixedThreadPool(8);
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch finished;
    private final Thread dispatcher;

    private LeadStream(ApiClient api, String tenant, String marker, int count, double ratePerSecond) {
        this.api = api;
        this.tenant = tenant;
        this.marker = marker;
        this.finished = new CountDownLatch(count);
        long periodNanos = Math.round(1e9 / ratePerSecond);
        this.dispatcher = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
                long due = start + i * periodNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int sequence = i;
                senders.execute(() -> send(sequence));
            }
        }, "lead-stream-" + tenant);
    }

    /** Starts sending at once, in the background. The AI stubs must answer texts that contain {@code marker}. */
    static LeadStream start(ApiClient api, String tenant, String marker, int count, double ratePerSecond) {
        LeadStream stream = new LeadStream(api, tenant, marker, count, ratePerSecond);
        stream.dispatcher.start();
        return stream;
    }

    private void send(int sequence) {
        String body = """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s: lead %d wants to buy 2 laptops"}"""
                .formatted(tenant, marker, sequence);
        long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        try {
            while (System.nanoTime() < giveUp) {
                try {
                    ApiClient.Response response = api.postJson("/api/v1/leads", body);
                    if (response.status() == 201) {
                        accepted.add(response.json().get("lead_id").asText());
                        return;
                    }
                    if (response.status() != 503) {
                        failure.compareAndSet(null, "lead " + sequence + ": " + response);
                        return;
                    }
                    refused.incrementAndGet();
                } catch (UncheckedIOException e) {
                    unanswered.incrementAndGet();
                }
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
            failure.compareAndSet(null, "lead " + sequence + ": no 201 within " + GIVE_UP_AFTER);
        } finally {
            finished.countDown();
        }
    }

    /** Leads answered 201 so far. */
    int accepted() {
        return accepted.size();
    }

    /** 503 answers (each retried). */
    int refused() {
        return refused.get();
    }

    /** Requests that got no answer at all (each retried). */
    int unanswered() {
        return unanswered.get();
    }

    void awaitAccepted(int leads) {
        await("%d leads accepted".formatted(leads)).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> failure.get() != null || accepted.size() >= leads);
        requireNoFailure();
    }

    /** Waits until every lead was answered; the accepted lead ids. */
    Set<String> awaitAll() {
        await("every lead of the stream answered").atMost(GIVE_UP_AFTER.plusMinutes(5))
                .pollInterval(Duration.ofMillis(100)).until(() -> finished.getCount() == 0);
        requireNoFailure();
        return Set.copyOf(accepted);
    }

    private void requireNoFailure() {
        if (failure.get() != null) {
            throw new AssertionError("the API refused a lead for good: " + failure.get());
        }
    }

    @Override
    public void close() {
        dispatcher.interrupt();
        senders.shutdownNow();
        try {
            senders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
