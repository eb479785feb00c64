package io.leadai.pipeline.kafka;

import java.util.HashMap;
import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class KafkaAdminConfig {

    /**
     * One admin client for topic provisioning and {@code /kafka/health}; it connects lazily, with the security
     * settings of the routes' clients ({@code camel.component.kafka.*}).
     */
    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(AppProperties app, CamelContext camel) {
        int timeoutMs = (int) app.kafka().adminTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(KafkaClientSecurity.of(camel));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafka().brokers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, app.kafka().clientId() + "-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        // a broker that is away should not be retried for long by a health probe
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(config);
    }
}
