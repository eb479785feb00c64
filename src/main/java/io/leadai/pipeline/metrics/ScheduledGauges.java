package io.leadai.pipeline.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Gauges whose values are read every {@code app.metrics.refresh-interval}, never at a scrape, so any
 * number of scrapes costs their source nothing. While the source does not answer they read NaN: a gap in
 * a graph, never a stale figure, and never a failure of the application.
 */
abstract class ScheduledGauges {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String source;
    private volatile boolean failing;

    protected ScheduledGauges(String source) {
        this.source = source;
    }

    /** Reads every value, or throws and leaves them to {@link #unknown()}. */
    protected abstract void read() throws Exception;

    /** Every value NaN. */
    protected abstract void unknown();

    @Scheduled(fixedDelayString = "${app.metrics.refresh-interval}")
    public void refresh() {
        try {
            read();
            if (failing) {
                failing = false;
                log.info("{} answers again; its gauges are current", source);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unknown();
        } catch (Exception e) {
            unknown();
            // once per outage, not at every refresh
            if (!failing) {
                failing = true;
                log.warn("{} did not answer; its gauges read NaN until it does: {}", source, e.toString());
            }
        }
    }
}
