package io.storefront.contracts.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event schemas stay readable by every consumer of the published contract ({@code published-asyncapi.json}, the
 * document as released). A breaking change fails here; to make one deliberately, migrate the consumers first, then
 * publish the new contract with {@code ./mvnw -pl apps/contracts test -Dcontracts.publish=true
 * -Dtest=ContractCompatibilityTest} and say so in the release notes.
 */
class ContractCompatibilityTest {

    static final Path PUBLISHED = Path.of("src/test/resources/contracts/published-asyncapi.json");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theCurrentEventsAreCompatibleWithThePublishedContract() throws IOException {
        JsonNode published = JSON.readTree(Files.readString(PUBLISHED));

        assertThat(ContractCompatibility.breakingChanges(published, current())).isEmpty();
    }

    @Test
    void aRemovedOrRenamedFieldBreaksConsumers() {
        assertThat(breakingAfter(schemas -> ((ObjectNode) schemas.path("CustomerEvent").path("properties"))
                .remove("customerId")))
                .containsExactly("CustomerEvent.customerId was removed or renamed");
        assertThat(breakingAfter(schemas -> {
            ObjectNode properties = (ObjectNode) schemas.path("Address").path("properties");
            properties.set("zipCode", properties.remove("postalCode"));
        })).anySatisfy(change -> assertThat(change).endsWith(".shippingAddress.postalCode was removed or renamed"));
    }

    @Test
    void aChangedTypeOrANewlyNullableFieldBreaksConsumers() {
        assertThat(breakingAfter(schemas -> ((ObjectNode) schemas.path("FulfillmentEvent").path("properties")
                .path("version")).put("type", "string")))
                .containsExactly("FulfillmentEvent.version changed type from [integer] to [string]");
        assertThat(breakingAfter(schemas -> {
            ObjectNode version = (ObjectNode) schemas.path("OrderEvent").path("properties").path("version");
            version.set("type", JSON.createArrayNode().add("integer").add("null"));
        })).containsExactly("OrderEvent.version changed type from [integer] to [null, integer]");
    }

    @Test
    void aNewRequiredFieldOrAFieldThatBecomesRequiredBreaksConsumers() {
        assertThat(breakingAfter(schemas -> {
            ObjectNode event = (ObjectNode) schemas.path("CustomerEvent");
            ((ObjectNode) event.path("properties")).set("loyaltyTier", JSON.createObjectNode().put("type", "string"));
            ((ArrayNode) event.path("required")).add("loyaltyTier");
        })).containsExactly("CustomerEvent.loyaltyTier is new and required; records already written lack it");
        assertThat(breakingAfter(schemas -> ((ArrayNode) schemas.path("OrderEvent").path("required"))
                .add("customerId")))
                .containsExactly("OrderEvent.customerId became required; records already written may lack it");
    }

    @Test
    void aNewOrRemovedEnumValueBreaksConsumers() {
        assertThat(breakingAfter(schemas -> ((ArrayNode) schemas.path("FulfillmentEvent").path("properties")
                .path("type").path("enum")).add("FULFILLMENT_SPLIT")))
                .singleElement().asString().startsWith("FulfillmentEvent.type changed its values");
    }

    @Test
    void aNewOptionalFieldIsCompatible() {
        assertThat(breakingAfter(schemas -> ((ObjectNode) schemas.path("CustomerEvent").path("properties"))
                .set("loyaltyTier", JSON.createObjectNode()
                        .set("type", JSON.createArrayNode().add("string").add("null")))))
                .isEmpty();
    }

    /** Writes the current contract as the published one: run at release time, never by the build. */
    @Test
    @EnabledIfSystemProperty(named = "contracts.publish", matches = "true")
    void publishTheCurrentContract() throws IOException {
        Files.writeString(PUBLISHED, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                AsyncApiDocument.describe(System.getProperty("contracts.version"))) + "\n");
    }

    private static JsonNode current() {
        return JSON.valueToTree(AsyncApiDocument.describe("current"));
    }

    private static java.util.List<String> breakingAfter(Consumer<ObjectNode> change) {
        JsonNode before = current();
        JsonNode after = before.deepCopy();
        change.accept((ObjectNode) after.path("components").path("schemas"));
        return ContractCompatibility.breakingChanges(before, after);
    }
}
