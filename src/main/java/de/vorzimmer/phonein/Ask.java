package de.vorzimmer.phonein;

/**
 * How to collect the next input after the prompts: up to {@code maxDigits} keys (the dialog checks the length and
 * says "too many digits", so an adapter may collect one more to notice), {@code #} ends an entry, and the caller has
 * {@code timeoutSeconds} to start and between keys.
 */
public record Ask(int maxDigits, int timeoutSeconds) {
    public Ask {
        if (maxDigits < 1 || maxDigits > 32) throw new IllegalArgumentException("maxDigits " + maxDigits + " out of range 1..32");
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            throw new IllegalArgumentException("timeoutSeconds " + timeoutSeconds + " out of range 1..60");
        }
    }

    /** A menu choice: one key. */
    public boolean singleKey() {
        return maxDigits == 1;
    }
}
