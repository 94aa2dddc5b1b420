package de.vorzimmer.book;

import java.util.Objects;

/**
 * A field the secretary fills in when she takes a message for a client ("Patient seit", "Rückrufnummer"), as the
 * client book lists it under {@code intake:}. The value is free text; {@code required} fields must not be blank.
 */
public record IntakeField(String name, boolean required) {
    public static final int MAX_NAME = 60;

    public IntakeField {
        Objects.requireNonNull(name, "name == null");
        if (name.isBlank()) throw new IllegalArgumentException("intake field name is blank");
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("intake field name '" + name + "' is longer than " + MAX_NAME);
        }
    }
}
