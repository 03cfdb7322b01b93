package io.storefront.contracts;

import java.math.BigDecimal;

public record Product(String id, String title, String description, BigDecimal price) {
}
