package io.leadai.pipeline.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AiAnswerBoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AiAnswerBounds bounds = new AiAnswerBounds(new AiAnswerLimits(100, 1000, 8));
    private final List<String> truncated = new ArrayList<>();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ArrayNode entities(int count) {
        ArrayNode entities = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            entities.addObject().put("type", "product").put("value", "item " + i);
        }
        return entities;
    }

    @Test
    void answerWithinTheLimitsIsKeptAsItIs() throws Exception {
        JsonNode intent = json("{\"name\": \"purchase\", \"confidence\": 0.93}");
        assertThat(bounds.bound("intent", intent, truncated)).isEqualTo(intent);
        assertThat(bounds.bound("entities", entities(100), truncated)).isEqualTo(entities(100));
        assertThat(truncated).isEmpty();
    }

    @Test
    void tooManyEntitiesKeepTheFirstHundredAndSaySo() {
        JsonNode bounded = bounds.bound("entities", entities(250), truncated);
        assertThat(bounded).hasSize(100);
        assertThat(bounded.get(99).get("value").asText()).isEqualTo("item 99");
        assertThat(truncated).containsExactly("entities");
    }

    @Test
    void longTextKeepsItsFirstCharactersAndSaysWhere() {
        ArrayNode entities = entities(2);
        ((ObjectNode) entities.get(1)).put("value", "v".repeat(50_000));
        JsonNode bounded = bounds.bound("entities", entities, truncated);
        assertThat(bounded.get(1).get("value").asText()).hasSize(1000);
        assertThat(bounded.get(0).get("value").asText()).isEqualTo("item 0");
        assertThat(truncated).containsExactly("entities[1].value");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "x".repeat(999) + "😀" + "tail";
        JsonNode bounded = bounds.bound("label", JsonNodeFactory.instance.textNode(text), truncated);
        assertThat(bounded.asText()).isEqualTo("x".repeat(999));
        assertThat(truncated).containsExactly("label");
    }

    @Test
    void objectWithTooManyFieldsKeepsTheFirst() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 500; i++) {
            answer.put("f" + i, i);
        }
        JsonNode bounded = bounds.bound("sentiment", answer, truncated);
        assertThat(bounded.size()).isEqualTo(100);
        assertThat(bounded.has("f99")).isTrue();
        assertThat(truncated).containsExactly("sentiment");
    }

    @Test
    void scriptTextIsDataAndStaysAsItIs() throws Exception {
        JsonNode answer = json("{\"name\": \"<script>alert(1)</script>\", \"confidence\": 0.5}");
        assertThat(bounds.bound("intent", answer, truncated)).isEqualTo(answer);
    }

    @Test
    void wrongTypesAreLeftForTheResultSchemaToRefuse() throws Exception {
        JsonNode answer = json("{\"name\": 42, \"confidence\": \"0.93\"}");
        assertThat(bounds.bound("intent", answer, truncated)).isEqualTo(answer);
    }

    @Test
    void nulCharacterMakesTheAnswerUnreadable() {
        ArrayNode entities = entities(1);
        ((ObjectNode) entities.get(0)).put("value", "a\u0000b");
        assertThatThrownBy(() -> bounds.bound("entities", entities, truncated))
                .isInstanceOf(UnreadableAnswerException.class)
                .hasMessageContaining("entities[0].value").hasMessageContaining("NUL");
    }

    @Test
    void halfASurrogatePairMakesTheAnswerUnreadable() {
        assertThatThrownBy(() -> bounds.bound("label", JsonNodeFactory.instance.textNode("a\uD83Db"), truncated))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("surrogate");
    }

    @Test
    void numberThatIsNotFiniteMakesTheAnswerUnreadable() {
        ObjectNode intent = JsonNodeFactory.instance.objectNode().put("name", "purchase");
        intent.set("confidence", DoubleNode.valueOf(Double.POSITIVE_INFINITY));
        assertThatThrownBy(() -> bounds.bound("intent", intent, truncated))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("intent.confidence");
    }

    @Test
    void nestingDeeperThanTheLimitMakesTheAnswerUnreadable() throws Exception {
        JsonNode deep = json("{\"a\":".repeat(9) + "1" + "}".repeat(9));
        assertThatThrownBy(() -> bounds.bound("sentiment", deep, truncated))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("deeper than 8");
        JsonNode allowed = json("{\"a\":".repeat(8) + "1" + "}".repeat(8));
        assertThat(bounds.bound("sentiment", allowed, truncated)).isEqualTo(allowed);
    }
}
