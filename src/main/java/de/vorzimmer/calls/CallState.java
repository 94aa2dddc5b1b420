package de.vorzimmer.calls;

import java.util.Locale;

/**
 * Live state of an inbound call as published on the event bus ({@link CallUpdate#ADDRESS}), whichever PBX carries it. {@code ringing}: targets are being rung
 * (again for each stage: put-through, then screen); {@code answered}: a target took the call; {@code message}:
 * the caller is being recorded; {@code ended}: gone after being answered, recorded or rejected;
 * {@code missed}: the caller hung up before anyone answered and before a recording started.
 */
public enum CallState {
    RINGING, ANSWERED, MESSAGE, ENDED, MISSED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
