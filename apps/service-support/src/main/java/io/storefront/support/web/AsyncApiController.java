package io.storefront.support.web;

import io.storefront.contracts.asyncapi.AsyncApiDocument;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the storefront's event contracts (AsyncAPI 3.0) beside the OpenAPI document: {@code /<service>/asyncapi}.
 * Every service serves the same document, which covers all topics and names who sends and who receives each.
 */
@RestController
@Hidden
public class AsyncApiController {

    private final Map<String, Object> document = AsyncApiDocument.describe(ReleaseVersion.current());

    @GetMapping(path = "/asyncapi", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> asyncApi() {
        return document;
    }
}
