package io.storefront.fulfillment;

import io.storefront.contracts.Topics;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "Storefront fulfillment API",
        description = "One fulfillment record per order sent by orders; shipping status changes are published "
                + "back to orders on " + Topics.FULFILLMENT_CHANGES + "."))
public class FulfillmentApplication {

    public static void main(String[] args) {
        SpringApplication.run(FulfillmentApplication.class, args);
    }
}
