package de.vorzimmer.book;

import java.time.ZoneId;
import java.util.Objects;

/** Book-wide defaults that clients may override. */
public record Defaults(String region, ZoneId timezone, String language, int ringPutThrough, int ringScreen,
                       EscalationPolicy escalation) {
    public static final Defaults STANDARD = new Defaults("DE", ZoneId.of("Europe/Berlin"), "de", 20, 25);

    /** Defaults with the standard escalation. */
    public Defaults(String region, ZoneId timezone, String language, int ringPutThrough, int ringScreen) {
        this(region, timezone, language, ringPutThrough, ringScreen, EscalationPolicy.STANDARD);
    }

    public Defaults {
        Objects.requireNonNull(region, "region == null");
        Objects.requireNonNull(timezone, "timezone == null");
        Objects.requireNonNull(language, "language == null");
        escalation = escalation == null ? EscalationPolicy.STANDARD : escalation;
        if (ringPutThrough <= 0 || ringScreen <= 0) throw new IllegalArgumentException("ring seconds must be positive");
    }
}
