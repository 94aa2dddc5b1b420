package de.vorzimmer.book;

import java.time.ZoneId;
import java.util.Objects;

/** Book-wide defaults that clients may override. */
public record Defaults(String region, ZoneId timezone, String language, int ringPutThrough, int ringScreen) {
    public static final Defaults STANDARD = new Defaults("DE", ZoneId.of("Europe/Berlin"), "de", 20, 25);

    public Defaults {
        Objects.requireNonNull(region, "region == null");
        Objects.requireNonNull(timezone, "timezone == null");
        Objects.requireNonNull(language, "language == null");
        if (ringPutThrough <= 0 || ringScreen <= 0) throw new IllegalArgumentException("ring seconds must be positive");
    }
}
