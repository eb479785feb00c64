package io.leadai.pipeline.tracing;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * Every route step runs with its exchange's MDC ({@link ExchangeLogContext}), so each log line written while a
 * step works on a lead's record or request says which event, lead, tenant and trace it is about.
 */
@Component
public class StepLogContext implements InterceptStrategy {

    private final ExchangeLogContext logContext;

    public StepLogContext(ExchangeLogContext logContext) {
        this.logContext = logContext;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new InStep(AsyncProcessorConverterHelper.convert(target));
    }

    private final class InStep extends DelegateAsyncProcessor {

        InStep(AsyncProcessor processor) {
            super(processor);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            ExchangeLogContext.Scope scope = logContext.open(exchange);
            boolean sync = processor.process(exchange, doneSync -> {
                try {
                    callback.done(doneSync);
                } finally {
                    if (doneSync) {
                        scope.close();
                    }
                }
            });
            if (!sync) {
                // the exchange goes on elsewhere; this thread returns to what it was doing
                scope.close();
            }
            return sync;
        }
    }
}
