package de.vorzimmer.asterisk;

/** Makes free text (display names, greetings from the book) safe to pass through an AGI command line. */
final class AgiText {
    private AgiText() {
    }

    /** Drops control characters and double quotes, which would end the AGI argument, and caps the length. */
    static String safe(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && sb.length() < 200; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '"' || c == '\\') continue;
            sb.append(c);
        }
        return sb.toString();
    }
}
