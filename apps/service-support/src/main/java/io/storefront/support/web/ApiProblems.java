package io.storefront.support.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems the services raise themselves; the exception handler writes them as they are. */
public final class ApiProblems {

    private ApiProblems() {
    }

    public static ErrorResponseException notFound(String what, String id) {
        return problem(HttpStatus.NOT_FOUND, "not-found", what + " " + id + " does not exist");
    }

    public static ErrorResponseException conflict(String detail) {
        return problem(HttpStatus.CONFLICT, "conflict", detail);
    }

    public static ErrorResponseException invalid(String detail) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", detail);
    }

    public static ErrorResponseException unprocessable(String detail) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable", detail);
    }

    /** The client's If-Match names a version other than the current one (RFC 9110 section 13.1.1). */
    public static ErrorResponseException preconditionFailed(String detail) {
        return problem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", detail);
    }

    /** A transient condition on our side; the same request may succeed when retried. */
    public static ErrorResponseException busy(String detail) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", detail);
    }

    static ErrorResponseException problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://storefront.io/problems/" + type));
        return new ErrorResponseException(status, problem, null);
    }
}
