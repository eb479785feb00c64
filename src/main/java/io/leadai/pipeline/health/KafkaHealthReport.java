package io.leadai.pipeline.health;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code GET /kafka/health}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KafkaHealthReport(String status, String bootstrapServers, String reason, String clusterId,
                                List<Broker> brokers, List<Topic> topics, List<ConsumerGroup> consumerGroups) {

    public static KafkaHealthReport down(String bootstrapServers, String reason) {
        return new KafkaHealthReport("DOWN", bootstrapServers, reason, null, null, null, null);
    }

    @JsonIgnore
    public int getHttpStatus() {
        return "DOWN".equals(status) ? 503 : 200;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Broker(int id, String host, int port) {
    }

    /** A topic of the pipeline; {@code partitions} is null when the topic does not exist. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Topic(String name, boolean exists, Integer partitions) {
    }

    /** A consumer group of the pipeline and how far behind the end of its topics it is. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConsumerGroup(String groupId, String state, int members, long lag, Map<String, Long> lagByTopic) {
    }
}
