package io.storefront.support.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Describes the shared value types of {@code contracts} in every service's OpenAPI document. The contracts module
 * stays free of Spring and Swagger, so their descriptions live here, once.
 */
public class ContractSchemaDescriptions implements OpenApiCustomizer {

    static final Map<String, String> DESCRIPTIONS = Map.of(
            "Name", "A person's name; middleName and suffix are optional",
            "Contact", "How to reach a customer: phone numbers and email",
            "Address", "A postal address of a customer, by type (BILLING, SHIPPING, SHIPPING_ALTERNATE)",
            "Product", "A product of the catalog, with its price",
            "OrderItem", "A product and how many of it",
            "ProblemDetail", "An RFC 9457 problem: what went wrong with the request");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        DESCRIPTIONS.forEach((name, description) -> {
            Schema<?> schema = schemas.get(name);
            if (schema != null && schema.getDescription() == null) {
                schema.setDescription(description);
            }
        });
    }
}
