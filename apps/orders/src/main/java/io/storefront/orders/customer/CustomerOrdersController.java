package io.storefront.orders.customer;

import io.storefront.orders.order.CustomerOrdersStore;
import io.storefront.support.web.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping(path = "/customers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "customers", description = "Customers with their orders")
public class CustomerOrdersController {

    private final CustomerOrdersStore store;

    public CustomerOrdersController(CustomerOrdersStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "List customers with their orders")
    public Flux<CustomerOrdersView> list() {
        return store.findAllLive().flatMapIterable(all -> all).map(CustomerOrdersView::of);
    }

    @GetMapping("/summary")
    @Operation(summary = "All customers with their orders: {\"customers\": [...]}")
    public Mono<CustomerOrdersView.Summary> summary() {
        return store.findAllLive()
                .map(all -> new CustomerOrdersView.Summary(all.stream().map(CustomerOrdersView::of).toList()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One customer with their orders")
    @ApiResponse(responseCode = "404", description = "Unknown customer (or not yet known to orders)")
    public Mono<CustomerOrdersView> get(@PathVariable @Pattern(regexp = ResourceId.PATTERN) String id) {
        return store.findLive(id).map(CustomerOrdersView::of);
    }
}
