package de.vorzimmer.book;

/**
 * Clients that many tests' books share, as YAML entries of a book's {@code clients:} list (indented by two, their
 * keys by four), so a test appends only what it is about:
 *
 * <pre>{@code
 * """
 * version: 1
 * clients:
 * """ + TestClients.MUELLER + """
 *     oncall:
 *       - { name: Dr. Müller, number: "+49 170 1111111" }
 * """
 * }</pre>
 */
public final class TestClients {
    /** Dr. Müller's dental practice: line 030 1234567, reached at +49 170 1111111, "Müller" for short. */
    public static final String MUELLER = """
              - id: mueller
                name: Zahnarztpraxis Dr. Müller
                short: Müller
                lines: ["030 1234567"]
                reach: "+49 170 1111111"
            """;

    /** Smith &amp; Partners, an English client in London: line 030 7654321, reached at +49 170 2222222. */
    public static final String SMITH = """
              - id: smith
                name: Smith & Partners
                short: Smith
                lines: ["030 7654321"]
                reach: "+49 170 2222222"
                language: en
                timezone: Europe/London
            """;

    /** Jane Smith Translations, an English client in London: line 020 7946 0123, reached at 07700 900123. */
    public static final String JANE_SMITH = """
              - id: smith
                name: Jane Smith Translations
                lines: ["020 7946 0123"]
                reach: "07700 900123"
                region: GB
                timezone: Europe/London
                language: en
            """;

    private TestClients() {
    }
}
