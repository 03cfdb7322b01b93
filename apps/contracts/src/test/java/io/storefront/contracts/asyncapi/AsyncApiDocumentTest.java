package io.storefront.contracts.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.storefront.contracts.CustomerEvent;
import io.storefront.contracts.Topics;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AsyncApiDocumentTest {

    final JsonNode document = JsonMapper.builder().build().valueToTree(AsyncApiDocument.describe("1.2.3"));

    @Test
    void everyTopicAndItsDeadLetterTopicIsAChannel() {
        List<String> topics = new ArrayList<>();
        for (String topic : Topics.EVENT_TOPICS) {
            topics.add(topic);
            topics.add(Topics.deadLetterOf(topic));
        }
        List<String> addresses = new ArrayList<>();
        document.path("channels").forEach(channel -> addresses.add(channel.path("address").asString()));

        assertThat(addresses).containsExactlyInAnyOrderElementsOf(topics);
        assertThat(document.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(document.path("info").path("version").asString()).isEqualTo("1.2.3");
    }

    @Test
    void everyReferenceResolves() {
        List<String> unresolved = new ArrayList<>();
        collectReferences(document, unresolved);
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aPayloadSchemaListsTheRecordsComponentsAndRequiresTheEnvelope() {
        JsonNode schema = document.path("components").path("schemas").path("CustomerEvent");
        List<String> properties = new ArrayList<>();
        schema.path("properties").propertyNames().forEach(properties::add);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asString()));

        assertThat(properties).containsExactlyElementsOf(Arrays.stream(CustomerEvent.class.getRecordComponents())
                .map(RecordComponent::getName).toList());
        assertThat(required).containsExactlyInAnyOrder("eventId", "type", "customerId", "version", "occurredAt");
        assertThat(schema.path("properties").path("occurredAt").path("format").asString()).isEqualTo("date-time");
        assertThat(schema.path("properties").path("customer").path("oneOf")).hasSize(2);
        assertThat(document.path("components").path("schemas").path("Address").path("required"))
                .extracting(JsonNode::asString).contains("type", "postalCode").doesNotContain("address2");
    }

    @Test
    void eachEventNamesItsKeyAndHeaders() {
        JsonNode message = document.path("components").path("messages").path("OrderEvent");
        assertThat(message.path("bindings").path("kafka").path("key").path("type").asString()).isEqualTo("string");
        assertThat(message.path("headers").path("properties").propertyNames())
                .containsExactlyInAnyOrder("storefront-event-id", "storefront-event-type", "traceparent");
    }

    private void collectReferences(JsonNode node, List<String> unresolved) {
        if (node.isObject()) {
            JsonNode reference = node.path("$ref");
            if (reference.isString()) {
                String pointer = reference.asString().substring(1);
                if (document.at(pointer).isMissingNode()) {
                    unresolved.add(reference.asString());
                }
            }
            node.forEach(child -> collectReferences(child, unresolved));
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, unresolved));
        }
    }
}
