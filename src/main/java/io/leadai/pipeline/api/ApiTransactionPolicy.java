package io.leadai.pipeline.api;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction of an API operation ({@code transacted: {ref: apiTransaction}}): one Spring transaction around
 * the rest of the route, rolled back when the route answered with an error (see {@link ApiErrors#respond}).
 *
 * <p>Unlike Camel's own transacted error handler, it answers a failure to begin, commit or roll back the
 * transaction the way the route answers a failure inside it (a 503 when the database is away): the connection
 * lost while PostgreSQL commits happens after the route's steps, where its error handling no longer applies, and
 * would otherwise reach the client as a bare 500. Nothing of the operation is stored then.
 */
public class ApiTransactionPolicy implements Policy {

    private final TransactionTemplate transactions;
    private final ApiErrors errors;

    public ApiTransactionPolicy(PlatformTransactionManager transactionManager, ApiErrors errors) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.errors = errors;
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing: the route keeps its own error handling (the api-errors route configuration)
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return new InTransaction(processor);
    }

    /** The rest of the route in one transaction, started and stopped with the route. */
    private final class InTransaction extends DelegateAsyncProcessor {

        private static final Logger log = LoggerFactory.getLogger(ApiTransactionPolicy.class);

        InTransaction(Processor steps) {
            super(steps);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            AsyncProcessor steps = AsyncProcessorConverterHelper.convert(processor);
            // a transacted exchange is routed on this thread, which holds the transaction
            exchange.getExchangeExtension().setTransacted(true);
            try {
                transactions.executeWithoutResult(status -> {
                    try {
                        steps.process(exchange);
                    } catch (Exception e) {
                        exchange.setException(e);
                    }
                    if (exchange.getException() != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                        status.setRollbackOnly();
                    }
                });
            } catch (RuntimeException e) {
                // begin, commit or rollback failed (a TransactionException, or a DataAccessException from
                // JdbcTransactionManager): the route's own failures stay inside the callback. Nothing was stored
                log.debug("Transaction of route {} failed", exchange.getFromRouteId(), e);
                answer(exchange, e);
            } finally {
                // the rollback asked for was done here; the operation's answer stands
                exchange.setRollbackOnlyLast(false);
                exchange.getExchangeExtension().setTransacted(false);
            }
            callback.done(true);
            return true;
        }

        private void answer(Exchange exchange, RuntimeException failure) {
            exchange.setException(null);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
            try {
                errors.answer(exchange, failure);
            } catch (Exception e) {
                exchange.setException(e);
            }
        }
    }
}
