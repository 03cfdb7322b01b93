package io.storefront.orders.customer;

import io.storefront.support.web.FreshReads;
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

    public static final String ID = "^[A-Za-z0-9-]{1,64}$";

    private final CustomerOrdersStore store;
    /** Concurrent summary and lookup requests share a query that starts after they arrive (never a stale one). */
    private final FreshReads<String, CustomerOrdersView.Summary> summaries = new FreshReads<>();
    private final FreshReads<String, CustomerOrdersView> lookups = new FreshReads<>();

    public CustomerOrdersController(CustomerOrdersStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "List customers with their orders")
    public Flux<CustomerOrdersView> list() {
        return store.findAllLive().map(CustomerOrdersView::of);
    }

    @GetMapping("/summary")
    @Operation(summary = "All customers with their orders: {\"customers\": [...]}")
    public Mono<CustomerOrdersView.Summary> summary() {
        return summaries.read("all", () -> store.findAllLive().map(CustomerOrdersView::of).collectList()
                .map(CustomerOrdersView.Summary::new));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One customer with their orders")
    @ApiResponse(responseCode = "404", description = "Unknown customer (or not yet known to orders)")
    public Mono<CustomerOrdersView> get(@PathVariable @Pattern(regexp = ID) String id) {
        return lookups.read(id, () -> store.findLive(id).map(CustomerOrdersView::of));
    }
}
