package io.storefront.benchmarks.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's baseline: Spring Boot with WebFlux on Netty and nothing else. It is started like the services
 * (same JVM, same flags, its own process) so that start-up, throughput and memory of the services can be reported
 * as a ratio to what the framework alone costs on the same machine in the same run.
 */
@SpringBootApplication
public class BareApplication {

    public static void main(String[] args) {
        SpringApplication.run(BareApplication.class, args);
    }
}
