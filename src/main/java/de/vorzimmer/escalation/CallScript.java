package de.vorzimmer.escalation;

import java.util.Objects;

/**
 * What a call-out says, in the client's language: who the message is for, from whom and when, then the recording
 * (a PBX path or URL) or the typed text, then the choice (1 confirms, 2 repeats).
 *
 * @param recording the recording to play, or null when the message is typed (then {@code text} is spoken)
 */
public record CallScript(long step, long messageId, String language, String intro, String recording, String text,
                         String choice, String confirmed, String goodbye) {
    public CallScript {
        Objects.requireNonNull(language, "language == null");
        Objects.requireNonNull(intro, "intro == null");
    }
}
