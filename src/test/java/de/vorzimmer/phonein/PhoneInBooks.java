package de.vorzimmer.phonein;

/**
 * The start of the phone-in tests' books, on either side of the PBX (the pure dialog, the FastAGI script, the real
 * Asterisk): German defaults, Anna on the PBX, and Dr. Müller with PIN 4711 on line 030 1234567, without a short
 * name. A test appends Müller's further keys (indented by four) and its other clients.
 */
public final class PhoneInBooks {
    public static final String START = """
            version: 1
            defaults: { region: DE, timezone: Europe/Berlin, language: de }
            secretaries:
              - { id: anna, name: Anna, endpoint: PJSIP/anna, languages: [de, en] }
            clients:
              - id: mueller
                name: Zahnarztpraxis Dr. Müller
                lines: ["030 1234567"]
                reach: "+49 170 1111111"
                pin: "4711"
            """;

    private PhoneInBooks() {
    }
}
