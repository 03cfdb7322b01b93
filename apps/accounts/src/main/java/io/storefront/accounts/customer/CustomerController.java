package io.storefront.accounts.customer;

import io.storefront.support.web.FreshReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping(path = "/customers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "customers", description = "Customer accounts; every change is published on accounts.customer.change")
public class CustomerController {

    /** Ids are UUIDs here, but any short token of letters, digits and dashes is accepted for lookups. */
    static final String ID = "^[A-Za-z0-9-]{1,64}$";

    private final CustomerService customers;
    /** Concurrent summary and lookup requests share a query that starts after they arrive (never a stale one). */
    private final FreshReads<String, CustomerSummary> summaries = new FreshReads<>();
    private final FreshReads<String, CustomerResponse> lookups = new FreshReads<>();

    public CustomerController(CustomerService customers) {
        this.customers = customers;
    }

    @GetMapping
    @Operation(summary = "List customers")
    public Flux<CustomerResponse> list() {
        return customers.findAll().map(CustomerResponse::of);
    }

    @GetMapping("/summary")
    @Operation(summary = "All customers in the original's summary shape: {\"customers\": [...]}")
    public Mono<CustomerSummary> summary() {
        return summaries.read("all", () -> customers.findAll().map(CustomerResponse::of).collectList()
                .map(CustomerSummary::new));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one customer")
    @ApiResponse(responseCode = "404", description = "No such customer")
    public Mono<CustomerResponse> get(@PathVariable @Pattern(regexp = ID) String id) {
        return lookups.read(id, () -> customers.findById(id).map(CustomerResponse::of));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a customer")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new customer")
    public Mono<ResponseEntity<CustomerResponse>> create(@Valid @RequestBody CustomerRequest request,
                                                         ServerWebExchange exchange) {
        return customers.create(request).map(created -> ResponseEntity
                .created(URI.create(exchange.getRequest().getPath().value() + "/" + created.id()))
                .body(CustomerResponse.of(created)));
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a customer")
    @ApiResponse(responseCode = "404", description = "No such customer")
    public Mono<CustomerResponse> replace(@PathVariable @Pattern(regexp = ID) String id,
                                          @Valid @RequestBody CustomerRequest request) {
        return customers.replace(id, request).map(CustomerResponse::of);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a customer; orders removes its view of the customer")
    @ApiResponse(responseCode = "404", description = "No such customer")
    public Mono<Void> delete(@PathVariable @Pattern(regexp = ID) String id) {
        return customers.delete(id);
    }

    @PostMapping("/sample")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Reset to the three sample customers (stable ids; every other customer is deleted)")
    public Mono<CustomerSummary> sample() {
        return customers.reset(SampleCustomers.all()).map(CustomerResponse::of).collectList()
                .map(CustomerSummary::new);
    }

}
