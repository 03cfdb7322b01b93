package io.storefront.support.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    @Test
    void aQuickCallReturnsItsValueWithoutAPicture() {
        assertThat(StallWatch.call("quick", Duration.ofSeconds(5), () -> 42)).isEqualTo(42);
    }

    @Test
    void aCallThatFailsAfterStallingCarriesThePictureOfTheThreadsTakenDuringTheStall() {
        Throwable failure = catchThrowable(() -> StallWatch.call("slow call", Duration.ofMillis(50), () -> {
            sleep(Duration.ofMillis(500));
            throw new IllegalStateException("timed out");
        }));

        assertThat(failure).hasMessage("timed out");
        assertThat(failure.getSuppressed()).singleElement().satisfies(picture -> assertThat(picture.getMessage())
                .startsWith("slow call stalled; threads after 50 ms:")
                .contains(Thread.currentThread().getName() + " TIMED_WAITING", "java.lang.Thread.sleep("));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
