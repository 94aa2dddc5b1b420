package de.vorzimmer.asterisk;


import java.util.Map;
import java.util.Objects;
import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.fastagi.command.AgiCommand;

/**
 * Several channel variables set in one AGI round trip: {@code EXEC MSet name1=value1,name2=value2,...}.
 *
 * <p>Why: every AGI command is a full round trip to the PBX (res_agi answers one command before it reads
 * the next, so commands must not be pipelined); one {@code SET VARIABLE} per variable made the decision
 * cost five to eight round trips. {@code MSet} sets the same channel variables, in argument order, each
 * with its own {@code VarSet} event, exactly as {@code SET VARIABLE} would.
 *
 * <p>Encoding: Asterisk splits the {@code MSet} argument at commas outside quotes, parentheses and
 * brackets, removing one level of backslash escapes and double quotes; then it splits each part at its
 * first {@code =} and takes the rest as the value untouched. So every character that the first split
 * would interpret ({@code \ " ( ) [ ] ,}) is escaped with a backslash here. The AGI command line layer
 * quotes the whole argument as Asterisk-Java's {@code ExecCommand} does ({@link #msetCommand}), in one
 * pass instead of its three regular expressions and two {@code String.format} per command.
 */
public final class AgiVariables {
    /** Asterisk's {@code MSet} takes at most this many pairs (AST_APP_ARG(vars)[24]). */
    static final int MAX_PAIRS = 24;

    private AgiVariables() {
    }

    /** The argument of one {@code MSet} that sets {@code variables} in their iteration order. */
    public static String msetArgument(Map<String, String> variables) {
        checkPairs(variables);
        StringBuilder sb = new StringBuilder(256);
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (sb.length() > 0) sb.append(',');
            sb.append(checkName(e.getKey())).append('=');
            String value = e.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\', '"', '(', ')', '[', ']', ',' -> sb.append('\\').append(c);
                    default -> sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    private static void checkPairs(Map<String, String> variables) {
        Objects.requireNonNull(variables, "variables == null");
        if (variables.isEmpty()) throw new IllegalArgumentException("no variables to set");
        if (variables.size() > MAX_PAIRS) {
            throw new IllegalArgumentException(variables.size() + " variables, MSet takes at most " + MAX_PAIRS);
        }
    }

    private static String checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                throw new IllegalArgumentException("variable name '" + name + "' is not [A-Za-z0-9_]+");
            }
        }
        return name;
    }

    /**
     * The AGI command {@code EXEC "MSet" "argument"} for {@code variables}, the line Asterisk-Java's
     * {@code ExecCommand} would send: inside the quotes {@code \} and {@code "} are escaped with a backslash
     * and newlines dropped (res_agi reads one command per line).
     */
    public static AgiCommand msetCommand(Map<String, String> variables) {
        checkPairs(variables);
        int size = 16;
        for (Map.Entry<String, String> e : variables.entrySet()) size += e.getKey().length() + e.getValue().length() + 8;
        StringBuilder line = new StringBuilder(size + (size >> 2)).append("EXEC \"MSet\" \"");
        boolean first = true;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (!first) line.append(',');
            first = false;
            line.append(checkName(e.getKey())).append('=');
            String value = e.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // two layers in one pass: MSet's argument escape (msetArgument), then the AGI line's quoting
                switch (c) {
                    case '\\' -> line.append("\\\\\\\\");
                    case '"' -> line.append("\\\\\\\"");
                    case '(', ')', '[', ']', ',' -> line.append("\\\\").append(c);
                    case '\n' -> { }
                    default -> line.append(c);
                }
            }
        }
        String command = line.append('"').toString();
        return new AgiCommand() {
            @Override
            public String buildCommand() {
                return command;
            }

            @Override
            public void setAsteriskVersion(AsteriskVersion version) {
                // the line is the same for every Asterisk version that has MSet
            }

            @Override
            public String toString() {
                return command;
            }
        };
    }
}
