package io.storefront.support.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

class IfMatchTest {

    @Test
    void withoutTheHeaderAnyVersionAndEvenAbsenceAreAccepted() {
        assertThatCode(() -> IfMatch.parse(null).requireVersion(7, "X")).doesNotThrowAnyException();
        assertThatCode(() -> IfMatch.parse(" ").requireAbsenceAllowed("X")).doesNotThrowAnyException();
    }

    @Test
    void aListMatchesAnyOfItsStrongTags() {
        IfMatch precondition = IfMatch.parse("\"3\", W/\"4\",\"5\"");
        assertThatCode(() -> precondition.requireVersion(3, "X")).doesNotThrowAnyException();
        assertThatCode(() -> precondition.requireVersion(5, "X")).doesNotThrowAnyException();
        assertStatus(() -> precondition.requireVersion(4, "X"), HttpStatus.PRECONDITION_FAILED);
        assertStatus(() -> precondition.requireVersion(6, "X"), HttpStatus.PRECONDITION_FAILED);
    }

    @Test
    void aStarMatchesAnyExistingVersionButNotAbsence() {
        IfMatch any = IfMatch.parse("*");
        assertThatCode(() -> any.requireVersion(42, "X")).doesNotThrowAnyException();
        assertStatus(() -> any.requireAbsenceAllowed("X"), HttpStatus.PRECONDITION_FAILED);
    }

    @Test
    void whatIsNotAnEntityTagListIsABadRequest() {
        for (String malformed : new String[] {"3", "\"3", "\"3\" \"4\"", "\"3\",,x", "W/3"}) {
            assertStatus(() -> IfMatch.parse(malformed), HttpStatus.BAD_REQUEST);
        }
    }

    @Test
    void theEntityTagOfAVersionIsItsQuotedNumber() {
        assertThat(IfMatch.entityTag(12)).isEqualTo("\"12\"");
    }

    private static void assertStatus(Runnable call, HttpStatus status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ErrorResponseException.class,
                problem -> assertThat(problem.getStatusCode()).isEqualTo(status));
    }
}
