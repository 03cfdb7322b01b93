package io.storefront.orders.order;

import io.storefront.contracts.Product;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The original storefront's eight products (titles, descriptions and prices); ids are stable across restarts. */
public final class Catalog {

    public static final List<Product> PRODUCTS = List.of(
            product("Blue Widget", "Brilliant Blue Widget", "1.99"),
            product("Red Widget", "Reliable Red Widget", "3.99"),
            product("Yellow Widget", "Amazing Yellow Widget", "5.99"),
            product("Purple Widget", "Pretty Purple Widget", "7.99"),
            product("Orange Widget", "Opulent Orange Widget", "9.99"),
            product("Green Widget", "Gorgeous Green Widget", "11.99"),
            product("Black Widget", "Beautiful Black Widget", "13.99"),
            product("White Widget", "Wonderful White Widget", "15.99"));

    private Catalog() {
    }

    public static Optional<Product> find(String id) {
        return PRODUCTS.stream().filter(product -> product.id().equals(id)).findFirst();
    }

    private static Product product(String title, String description, String price) {
        String id = UUID.nameUUIDFromBytes(("storefront-product:" + title).getBytes(StandardCharsets.UTF_8)).toString();
        return new Product(id, title, description, new BigDecimal(price));
    }
}
