package io.leadai.pipeline.config;

import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import io.leadai.pipeline.api.ApiErrors;
import io.leadai.pipeline.api.ApiTransactionPolicy;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
public class TransactionConfig {

    /** The policy a route's {@code transacted} step picks up by name: join or start a JDBC transaction. */
    @Bean("PROPAGATION_REQUIRED")
    SpringTransactionPolicy propagationRequired(PlatformTransactionManager transactionManager) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactionManager);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /** The transaction of an API operation: see {@link ApiTransactionPolicy}. */
    @Bean
    ApiTransactionPolicy apiTransaction(PlatformTransactionManager transactionManager, ApiErrors errors) {
        return new ApiTransactionPolicy(transactionManager, errors);
    }

    /** The data source every route, the transaction manager and the gauges use: see {@link LazyConnectionPool}. */
    @Bean
    static BeanPostProcessor lazyConnectionPool() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof HikariDataSource pool ? new LazyConnectionPool(pool) : bean;
            }
        };
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
