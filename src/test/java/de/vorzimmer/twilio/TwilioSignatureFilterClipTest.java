package de.vorzimmer.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What of a CallSid a log line shows: 64 characters at most, nothing but letters, digits and {@code ._-}. */
class TwilioSignatureFilterClipTest {
    @Test
    void keepsASidAndMasksEverythingElse() {
        assertEquals("CA0123456789abcdef._-", TwilioSignatureFilter.clip("CA0123456789abcdef._-"));
        assertEquals("CA??x?????", TwilioSignatureFilter.clip("CA\n\rxä €<>"));
        assertEquals("A".repeat(64), TwilioSignatureFilter.clip("A".repeat(100)));
        assertEquals("", TwilioSignatureFilter.clip(""));
    }
}
