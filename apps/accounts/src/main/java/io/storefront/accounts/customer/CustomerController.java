package io.storefront.accounts.customer;

import io.storefront.contracts.Topics;
import io.storefront.support.web.IfMatch;
import io.storefront.support.web.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Customers over HTTP. A customer's version is its entity tag: GET, POST and PUT answer it as {@code ETag}, and a
 * PUT or DELETE that sends {@code If-Match} applies only to that version (412 otherwise). Without If-Match the
 * change applies to the current version, however many writers are at work.
 */
@RestController
@RequestMapping(path = "/customers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "customers", description = "Customer accounts; every change is published on " + Topics.CUSTOMER_CHANGES)
public class CustomerController {

    private static final String IF_MATCH_DESCRIPTION = "Apply only if the customer is at this version: an ETag from"
            + " an earlier GET or PUT, e.g. \"3\" (or * for any version). Without it the change applies to the"
            + " current version.";

    private final CustomerService customers;

    public CustomerController(CustomerService customers) {
        this.customers = customers;
    }

    @GetMapping
    @Operation(summary = "List customers")
    public Flux<CustomerResponse> list() {
        return customers.findAll().flatMapIterable(all -> all).map(CustomerResponse::of);
    }

    @GetMapping("/summary")
    @Operation(summary = "All customers in the original's summary shape: {\"customers\": [...]}")
    public Mono<CustomerSummary> summary() {
        return customers.findAll()
                .map(all -> new CustomerSummary(all.stream().map(CustomerResponse::of).toList()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one customer")
    @ApiResponse(responseCode = "200", description = "The customer; ETag is its version",
            headers = @Header(name = HttpHeaders.ETAG, description = "The customer's version, e.g. \"3\""))
    @ApiResponse(responseCode = "404", description = "No such customer")
    public Mono<ResponseEntity<CustomerResponse>> get(@PathVariable @Pattern(regexp = ResourceId.PATTERN) String id) {
        return customers.findById(id).map(customer -> withEntityTag(ResponseEntity.ok(), customer));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a customer")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new customer, ETag is its version")
    public Mono<ResponseEntity<CustomerResponse>> create(@Valid @RequestBody CustomerRequest request,
                                                         ServerWebExchange exchange) {
        return customers.create(request).map(created -> withEntityTag(ResponseEntity
                .created(URI.create(exchange.getRequest().getPath().value() + "/" + created.id())), created));
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a customer")
    @ApiResponse(responseCode = "200", description = "Replaced; ETag is the new version",
            headers = @Header(name = HttpHeaders.ETAG, description = "The customer's new version"))
    @ApiResponse(responseCode = "404", description = "No such customer")
    @ApiResponse(responseCode = "412", description = "If-Match names another version than the current one")
    public Mono<ResponseEntity<CustomerResponse>> replace(
            @PathVariable @Pattern(regexp = ResourceId.PATTERN) String id,
            @Parameter(description = IF_MATCH_DESCRIPTION) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
            String ifMatch,
            @Valid @RequestBody CustomerRequest request) {
        return Mono.fromSupplier(() -> IfMatch.parse(ifMatch))
                .flatMap(precondition -> customers.replace(id, request, precondition))
                .map(replaced -> withEntityTag(ResponseEntity.ok(), replaced));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a customer; orders removes its view of the customer")
    @ApiResponse(responseCode = "404", description = "No such customer")
    @ApiResponse(responseCode = "412", description = "If-Match names another version than the current one")
    public Mono<Void> delete(@PathVariable @Pattern(regexp = ResourceId.PATTERN) String id,
                             @Parameter(description = IF_MATCH_DESCRIPTION)
                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromSupplier(() -> IfMatch.parse(ifMatch))
                .flatMap(precondition -> customers.delete(id, precondition))
                .then();
    }

    @PostMapping("/sample")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Reset to the three sample customers (stable ids; every other customer is deleted)")
    public Mono<CustomerSummary> sample() {
        return customers.reset(SampleCustomers.all()).map(CustomerResponse::of).collectList()
                .map(CustomerSummary::new);
    }

    private static ResponseEntity<CustomerResponse> withEntityTag(ResponseEntity.BodyBuilder response,
                                                                  Customer customer) {
        return response.eTag(IfMatch.entityTag(customer.version())).body(CustomerResponse.of(customer));
    }
}
