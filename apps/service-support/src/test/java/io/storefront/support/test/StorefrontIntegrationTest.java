package io.storefront.support.test;

import io.storefront.contracts.Topics;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

/**
 * A service under test with a real Kafka broker (embedded KRaft, topics and dead-letter topics created with three
 * partitions) and the in-memory MongoDB server, every ended span recorded ({@link RecordedSpans}). Contexts are
 * cached, so a module's test classes share one of each.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 3, topics = {
        Topics.CUSTOMER_CHANGES, Topics.CUSTOMER_CHANGES + Topics.DEAD_LETTER_SUFFIX,
        Topics.ORDER_CHANGES, Topics.ORDER_CHANGES + Topics.DEAD_LETTER_SUFFIX,
        Topics.FULFILLMENT_CHANGES, Topics.FULFILLMENT_CHANGES + Topics.DEAD_LETTER_SUFFIX})
@ContextConfiguration(initializers = InMemoryMongo.Initializer.class)
@Import(RecordedSpans.Configuration.class)
public @interface StorefrontIntegrationTest {
}
