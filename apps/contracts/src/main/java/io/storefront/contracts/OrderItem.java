package io.storefront.contracts;

public record OrderItem(Product product, int quantity) {
}
