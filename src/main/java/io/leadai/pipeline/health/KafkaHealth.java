package io.leadai.pipeline.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.leadai.pipeline.config.AppProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.stereotype.Component;

/** What {@code GET /kafka/health} reports: brokers, the pipeline's topics, its consumer groups' lag. */
@Component("kafkaHealth")
public class KafkaHealth {

    private final Admin admin;
    private final AppProperties app;

    public KafkaHealth(Admin admin, AppProperties app) {
        this.admin = admin;
        this.app = app;
    }

    public KafkaHealthReport report() throws InterruptedException {
        String bootstrap = app.kafka().brokers();
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            List<KafkaHealthReport.Broker> brokers = get(cluster.nodes()).stream()
                    .map(node -> new KafkaHealthReport.Broker(node.id(), node.host(), node.port()))
                    .toList();
            return new KafkaHealthReport("UP", bootstrap, null, get(cluster.clusterId()), brokers, topics(),
                    consumerGroups());
        } catch (TimeoutException e) {
            return KafkaHealthReport.down(bootstrap, "no answer from " + bootstrap + " within "
                    + app.kafka().adminTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return KafkaHealthReport.down(bootstrap, "Kafka at " + bootstrap + " did not answer: "
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        }
    }

    private List<KafkaHealthReport.Topic> topics() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, KafkaFuture<TopicDescription>> described =
                admin.describeTopics(app.topics().all()).topicNameValues();
        List<KafkaHealthReport.Topic> topics = new ArrayList<>();
        for (String name : app.topics().all()) {
            try {
                topics.add(new KafkaHealthReport.Topic(name, true, get(described.get(name)).partitions().size()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                topics.add(new KafkaHealthReport.Topic(name, false, null));
            }
        }
        return topics;
    }

    /**
     * The pipeline's consumer groups and their lag: for each partition a group has committed, the end offset
     * minus the committed one. Also read on a schedule for the {@code leadai_kafka_consumer_lag_records} gauge.
     */
    public List<KafkaHealthReport.ConsumerGroup> consumerGroups()
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> groupIds = app.kafka().groups().all();
        Map<String, ConsumerGroupDescription> descriptions = get(admin.describeConsumerGroups(groupIds).all());
        List<KafkaHealthReport.ConsumerGroup> groups = new ArrayList<>();
        for (String groupId : groupIds) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
            committed.values().removeIf(java.util.Objects::isNull);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = committed.isEmpty() ? Map.of()
                    : get(admin.listOffsets(committed.keySet().stream()
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all());
            Map<String, Long> lagByTopic = new TreeMap<>();
            committed.forEach((tp, offset) -> lagByTopic.merge(tp.topic(),
                    Math.max(0, ends.get(tp).offset() - offset.offset()), Long::sum));
            ConsumerGroupDescription description = descriptions.get(groupId);
            groups.add(new KafkaHealthReport.ConsumerGroup(groupId, description.state().toString(),
                    description.members().size(), lagByTopic.values().stream().mapToLong(Long::longValue).sum(),
                    lagByTopic));
        }
        return groups;
    }

    private <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(app.kafka().adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
