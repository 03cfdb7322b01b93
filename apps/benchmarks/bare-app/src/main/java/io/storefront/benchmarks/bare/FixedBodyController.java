package io.storefront.benchmarks.bare;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /bare?bytes=N}: a JSON body of exactly N bytes, built once per size and then served as is. The
 * benchmark asks for the size of the service answer it compares with, so both move the same bytes over the wire;
 * what differs is the work behind the answer (database read, mapping, serialization).
 */
@RestController
public class FixedBodyController {

    /** Far above any answer compared with; keeps a typo from allocating gigabytes. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private final Map<Integer, byte[]> bodies = new ConcurrentHashMap<>();

    @GetMapping(path = "/bare", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<byte[]>> bare(@RequestParam(defaultValue = "2") int bytes) {
        if (bytes < 2 || bytes > MAX_BYTES) {
            return Mono.just(ResponseEntity.badRequest().build());
        }
        return Mono.just(ResponseEntity.ok(bodies.computeIfAbsent(bytes, FixedBodyController::body)));
    }

    /** {@code "xxx…"}: a JSON string, so the body is valid JSON of the requested length. */
    static byte[] body(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'x');
        body[0] = '"';
        body[bytes - 1] = '"';
        return body;
    }
}
