package io.storefront.accounts.customer;

import java.util.List;
import java.util.Optional;

/** Card numbers never leave accounts whole: answers carry the last four digits only, events and logs none. */
final class CardNumbers {

    static final String ACCEPTED = "^(?:[0-9](?:[ -]?[0-9]){11,18}|\\*{4,}[0-9]{4})$";

    private CardNumbers() {
    }

    static String mask(String number) {
        String digits = number.replaceAll("[^0-9]", "");
        String last4 = digits.length() <= 4 ? digits : digits.substring(digits.length() - 4);
        return "************" + last4;
    }

    static boolean isMasked(String number) {
        return number.startsWith("*");
    }

    /** A masked number stands for the stored card whose number masks to the same text. */
    static Optional<String> unmask(String masked, List<CreditCard> stored) {
        return stored.stream().map(CreditCard::number).filter(number -> mask(number).equals(masked)).findFirst();
    }
}
