package io.storefront.support.web;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error the API answers is an RFC 9457 problem. On top of Spring's standard mapping this names each invalid
 * field, says why a body could not be read, answers oversized bodies with 413 and an unreachable database with 503
 * (quickly: the client's server-selection timeout is short) instead of a 500.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail body = ex.getBody();
        body.setDetail("The request body is invalid: " + ex.getFieldErrorCount() + " field(s) rejected");
        body.setProperty("errors", ex.getFieldErrors().stream().map(ProblemDetailsAdvice::describe).toList());
        return handleExceptionInternal(ex, body, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail body = ex.getBody();
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> Map.of(
                        "field", String.valueOf(result.getMethodParameter().getParameterName()),
                        "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        body.setDetail("The request is invalid: " + errors.size() + " value(s) rejected");
        body.setProperty("errors", errors);
        return handleExceptionInternal(ex, body, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (rootCause(ex) instanceof DataBufferLimitException limit) {
            return tooLarge(limit, exchange);
        }
        ProblemDetail body = ex.getBody();
        body.setDetail("The request could not be read: " + readableReason(ex));
        return handleExceptionInternal(ex, body, headers, status, exchange);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    public Mono<ResponseEntity<Object>> tooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The request body exceeds the limit this API accepts");
        return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.CONTENT_TOO_LARGE, exchange);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, QueryTimeoutException.class})
    public Mono<ResponseEntity<Object>> storeUnavailable(RuntimeException ex, ServerWebExchange exchange) {
        log.warn("Database unavailable for {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The service's database is unavailable; nothing was changed. Retry later.");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return handleExceptionInternal(ex, body, headers, HttpStatus.SERVICE_UNAVAILABLE, exchange);
    }

    /** Every problem says what went wrong, including those Spring raises without a detail (e.g. a 413). */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body == null && ex instanceof org.springframework.web.ErrorResponse response) {
            body = response.getBody();
        }
        if (body instanceof ProblemDetail problem && problem.getDetail() == null) {
            problem.setDetail(status.value() == HttpStatus.CONTENT_TOO_LARGE.value()
                    ? "The request body exceeds the limit this API accepts"
                    : problem.getTitle());
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    private static Map<String, String> describe(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static String readableReason(ServerWebInputException ex) {
        Throwable cause = rootCause(ex);
        if (cause instanceof tools.jackson.core.JacksonException jackson) {
            // The original message names the field and the problem without echoing the whole input.
            return jackson.getOriginalMessage();
        }
        return ex.getReason() != null ? ex.getReason() : "malformed request";
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
