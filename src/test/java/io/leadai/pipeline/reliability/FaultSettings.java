package io.leadai.pipeline.reliability;

import java.time.Duration;

/**
 * The size of the fault suite's streams and outages, from system properties, so that {@code ./mvnw verify} runs a
 * short suite and the same tests run long: {@code -Dfaults.events=5000 -Dfaults.database-outage=30}
 * (docs/guarantees.md).
 */
record FaultSettings(int events, int newGroupEvents, double ratePerSecond, Duration databaseOutage,
                     Duration brokerOutage) {

    static FaultSettings fromSystemProperties() {
        int events = Integer.getInteger("faults.events", 300);
        return new FaultSettings(
                events,
                // the figure for a group that joins late, or the stream size when that is larger
                Math.max(1000, events),
                Double.parseDouble(System.getProperty("faults.rate", "60")),
                Duration.ofSeconds(Long.getLong("faults.database-outage", 10)),
                Duration.ofSeconds(Long.getLong("faults.broker-outage", 5)));
    }
}
