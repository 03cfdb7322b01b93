package io.storefront.benchmarks;

import io.storefront.local.stack.StackFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The status a GET of a URL answers, for the harness's readiness polls: -1 while nothing answers. */
final class HttpStatus {

    private HttpStatus() {
    }

    static int of(HttpClient http, URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackFailure("interrupted");
        }
    }
}
