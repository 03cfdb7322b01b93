package io.storefront.platform.check;

/** The outcome of one preflight check: what was found, or, when it failed, exactly what to fix. */
public record Finding(String check, boolean passed, String message) {

    public static Finding ok(String check, String found) {
        return new Finding(check, true, found);
    }

    public static Finding fix(String check, String whatToDo) {
        return new Finding(check, false, whatToDo);
    }

    @Override
    public String toString() {
        return (passed ? "  ok    " : "  FIX   ") + check + ": " + message;
    }
}
