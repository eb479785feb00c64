package io.leadai.pipeline.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka security settings (protocol, SASL, SSL) of the Camel Kafka component, configured once under
 * {@code camel.component.kafka.*}, as client properties for the Kafka clients the application creates itself
 * (the admin client). Taken from Camel's own translation, so they match what the routes' consumers and producers
 * get, and a setting added there needs no second copy here.
 */
public final class KafkaClientSecurity {

    private KafkaClientSecurity() {
    }

    public static Map<String, Object> of(CamelContext camel) {
        return of(camel.getComponent("kafka", KafkaComponent.class).getConfiguration());
    }

    static Map<String, Object> of(KafkaConfiguration configuration) {
        Properties client = configuration.createConsumerProperties();
        Map<String, Object> security = new TreeMap<>();
        client.forEach((key, value) -> {
            String name = key.toString();
            if (name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || name.startsWith("sasl.")
                    || name.startsWith("ssl.")) {
                security.put(name, value);
            }
        });
        return security;
    }
}
