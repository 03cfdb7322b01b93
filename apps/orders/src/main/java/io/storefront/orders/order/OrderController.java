package io.storefront.orders.order;

import io.storefront.contracts.OrderEvent;
import io.storefront.contracts.Product;
import io.storefront.support.web.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "orders", description = "Placing orders, approval decisions, sample data and fulfillment requests")
public class OrderController {

    private static final String ID = ResourceId.PATTERN;

    private final OrderService orders;

    public OrderController(OrderService orders) {
        this.orders = orders;
    }

    @GetMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The products that can be ordered")
    public List<Product> products() {
        return Catalog.PRODUCTS;
    }

    @PostMapping(path = "/customers/{customerId}/orders", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Place an order (status CREATED)")
    @ApiResponse(responseCode = "201", description = "Placed; Location names the order")
    @ApiResponse(responseCode = "404", description = "Unknown customer")
    @ApiResponse(responseCode = "422", description = "Unknown product")
    public Mono<ResponseEntity<OrderView>> place(@PathVariable @Pattern(regexp = ID) String customerId,
                                                 @Valid @RequestBody PlaceOrderRequest request,
                                                 ServerWebExchange exchange) {
        return orders.place(customerId, request).map(order -> ResponseEntity
                .created(URI.create(exchange.getRequest().getPath().value() + "/" + order.id()))
                .body(OrderView.of(order)));
    }

    @PostMapping(path = "/customers/{customerId}/orders/{orderId}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Approve a CREATED order")
    @ApiResponse(responseCode = "409", description = "The order is not CREATED")
    public Mono<OrderView> approve(@PathVariable @Pattern(regexp = ID) String customerId,
                                   @PathVariable @Pattern(regexp = ID) String orderId,
                                   @Valid @RequestBody(required = false) StatusNote note) {
        return decide(customerId, orderId, OrderEvent.Type.ORDER_APPROVED, note);
    }

    @PostMapping(path = "/customers/{customerId}/orders/{orderId}/reject", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Reject a CREATED order")
    @ApiResponse(responseCode = "409", description = "The order is not CREATED")
    public Mono<OrderView> reject(@PathVariable @Pattern(regexp = ID) String customerId,
                                  @PathVariable @Pattern(regexp = ID) String orderId,
                                  @Valid @RequestBody(required = false) StatusNote note) {
        return decide(customerId, orderId, OrderEvent.Type.ORDER_REJECTED, note);
    }

    @PostMapping(path = "/customers/{customerId}/orders/{orderId}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel an order that was not yet sent for fulfillment")
    @ApiResponse(responseCode = "409", description = "The order is past approval or already sent for fulfillment")
    public Mono<OrderView> cancel(@PathVariable @Pattern(regexp = ID) String customerId,
                                  @PathVariable @Pattern(regexp = ID) String orderId,
                                  @Valid @RequestBody(required = false) StatusNote note) {
        return decide(customerId, orderId, OrderEvent.Type.ORDER_CANCELLED, note);
    }

    @PostMapping(path = "/customers/sample/orders", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.OK)
    @Operation(summary = "Give every known customer the five sample orders (stable ids; replaces their orders)")
    public Mono<Map<String, Long>> sampleOrders() {
        return orders.resetSamples().map(count -> Map.of("customers", count));
    }

    @PostMapping(path = "/customers/sample/fulfill", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Send every APPROVED order not yet sent to fulfillment; answers how many were sent")
    public Mono<Map<String, Long>> fulfill() {
        return orders.sendApprovedForFulfillment().map(count -> Map.of("sent", count));
    }

    private Mono<OrderView> decide(String customerId, String orderId, OrderEvent.Type decision, StatusNote note) {
        return orders.decide(customerId, orderId, decision, note == null ? null : note.note()).map(OrderView::of);
    }
}
