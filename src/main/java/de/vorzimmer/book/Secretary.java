package de.vorzimmer.book;

import java.util.List;
import java.util.Objects;

/**
 * A secretary of the firm.
 *
 * @param endpoint the Asterisk dial string ({@code PJSIP/anna}); on Twilio a {@code client:NAME} or {@code sip:} URI
 */
public record Secretary(String id, String name, String endpoint, List<String> languages) {
    public Secretary {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(endpoint, "endpoint == null");
        name = name == null ? id : name;
        languages = List.copyOf(languages);
    }

    public boolean speaks(String language) {
        return languages.contains(language);
    }
}
