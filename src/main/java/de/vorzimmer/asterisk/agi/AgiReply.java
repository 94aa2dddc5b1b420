package de.vorzimmer.asterisk.agi;

import java.util.Objects;

/**
 * Asterisk's answer to one AGI command, read as Asterisk-Java reads it: the three-digit status, the word after
 * {@code result=} (empty when there is none) and the text in parentheses after it ({@code 200 result=1 (value)}).
 *
 * @param status    200 success, 510 unknown command, 511 dead channel, 520 bad syntax; -1 if the line has none
 * @param result    what follows {@code result=} up to the first blank; empty if nothing does
 * @param extra     the text in parentheses after the result, or null
 * @param firstLine the reply's (first) line as received
 */
public record AgiReply(int status, String result, String extra, String firstLine) {
    public static final int SUCCESS = 200;
    public static final int INVALID_OR_UNKNOWN_COMMAND = 510;
    public static final int DEAD_CHANNEL = 511;
    public static final int INVALID_COMMAND_SYNTAX = 520;
    /** Sent before the real answer by commands that run a subroutine ({@code GOSUB}); not an answer itself. */
    public static final int TRYING = 100;
    private static final String RESULT = "200 result=";

    public AgiReply {
        Objects.requireNonNull(result, "result == null");
        Objects.requireNonNull(firstLine, "firstLine == null");
    }

    public static AgiReply parse(String line) {
        Objects.requireNonNull(line, "line == null");
        int status = -1;
        if (line.length() >= 4 && digit(line, 0) && digit(line, 1) && digit(line, 2)
                && (line.charAt(3) == ' ' || line.charAt(3) == '-')) {
            status = (line.charAt(0) - '0') * 100 + (line.charAt(1) - '0') * 10 + (line.charAt(2) - '0');
        }
        String result = "";
        String extra = null;
        if (line.startsWith(RESULT)) {
            int end = RESULT.length();
            while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
            result = line.substring(RESULT.length(), end);
            int open = end;
            while (open < line.length() && line.charAt(open) == ' ') open++;
            int close = line.lastIndexOf(')');
            if (open > end && open < line.length() && line.charAt(open) == '(' && close > open) {
                extra = line.substring(open + 1, close);
            }
        }
        return new AgiReply(status, result, extra, line);
    }

    private static boolean digit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }

    /** The result as a number, -1 if it is none (as Asterisk-Java's {@code getResultCode}). */
    public int resultCode() {
        if (result.isEmpty()) return -1;
        try {
            return Integer.parseInt(result);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The key a command that listens for keys was ended with, 0 for none (a negative result included). */
    public char resultChar() {
        int code = resultCode();
        return code < 0 ? 0 : (char) code;
    }
}
