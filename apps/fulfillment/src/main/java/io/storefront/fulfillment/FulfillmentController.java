package io.storefront.fulfillment;

import io.storefront.contracts.OrderStatus;
import io.storefront.support.web.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping(path = "/fulfillments", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "fulfillments", description = "Fulfillment records and their shipping status")
public class FulfillmentController {

    /** The original's four sample steps: each moves every fulfillment in the preceding status. */
    enum SampleStep {
        process(OrderStatus.APPROVED, OrderStatus.PROCESSING),
        ship(OrderStatus.PROCESSING, OrderStatus.SHIPPED),
        in_transit(OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT),
        receive(OrderStatus.IN_TRANSIT, OrderStatus.RECEIVED);

        final OrderStatus from;
        final OrderStatus to;

        SampleStep(OrderStatus from, OrderStatus to) {
            this.from = from;
            this.to = to;
        }
    }

    private final FulfillmentService fulfillments;

    public FulfillmentController(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @GetMapping
    @Operation(summary = "List fulfillments")
    public Flux<FulfillmentView> list() {
        return fulfillments.findAll().flatMapIterable(all -> all).map(FulfillmentView::of);
    }

    @GetMapping("/summary")
    @Operation(summary = "All fulfillments: {\"fulfillments\": [...]}")
    public Mono<FulfillmentView.Summary> summary() {
        return fulfillments.findAll()
                .map(all -> new FulfillmentView.Summary(all.stream().map(FulfillmentView::of).toList()));
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "The fulfillment of one order")
    @ApiResponse(responseCode = "404", description = "No fulfillment for this order")
    public Mono<FulfillmentView> get(@PathVariable @Pattern(regexp = ResourceId.PATTERN) String orderId) {
        return fulfillments.findById(orderId).map(FulfillmentView::of);
    }

    @PostMapping(path = "/{orderId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Move a fulfillment to a new status (APPROVED→PROCESSING→SHIPPED→IN_TRANSIT→RECEIVED; "
            + "ON_HOLD and CANCELLED before shipping, RETURNED after receipt)")
    @ApiResponse(responseCode = "409", description = "Not a legal move from the current status")
    public Mono<FulfillmentView> changeStatus(@PathVariable @Pattern(regexp = ResourceId.PATTERN) String orderId,
                                              @Valid @RequestBody StatusChangeRequest change) {
        return fulfillments.changeStatus(orderId, change).map(FulfillmentView::of);
    }

    @PostMapping("/sample/{step:process|ship|in-transit|receive}")
    @Operation(summary = "Advance every fulfillment in the preceding status: process (APPROVED→PROCESSING), ship, "
            + "in-transit, receive; answers how many moved")
    public Mono<Map<String, Object>> sample(@PathVariable String step) {
        SampleStep sample = SampleStep.valueOf(step.replace('-', '_'));
        return fulfillments.advanceAll(sample.from, sample.to)
                .map(count -> Map.of("status", sample.to, "changed", count));
    }
}
