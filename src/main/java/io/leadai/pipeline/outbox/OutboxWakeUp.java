package io.leadai.pipeline.outbox;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the outbox relay for rows an API transaction writes, once that transaction has committed: woken
 * earlier, the relay would look before the rows are visible, find nothing, and leave them to the next poll.
 */
@Component("outboxWakeUp")
public class OutboxWakeUp {

    private final ProducerTemplate routes;

    public OutboxWakeUp(ProducerTemplate routes) {
        this.routes = routes;
    }

    /** Wakes the relay after the current transaction commits (not at all if it rolls back), or now without one. */
    public void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake();
            }
        });
    }

    private void wake() {
        routes.sendBody("direct:wake-outbox-relay", null);
    }
}
