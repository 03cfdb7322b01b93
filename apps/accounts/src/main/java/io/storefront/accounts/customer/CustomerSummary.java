package io.storefront.accounts.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "All customers, in the original storefront's summary shape")
public record CustomerSummary(List<CustomerResponse> customers) {
}
