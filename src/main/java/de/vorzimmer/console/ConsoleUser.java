package de.vorzimmer.console;


import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Someone who logs in to the console.
 *
 * @param secretaryId  the book secretary this user answers calls as (screen-pops follow its endpoint), or null
 * @param passwordHash salted PBKDF2 hash, never the password
 */
public record ConsoleUser(String username, Role role, String secretaryId, String displayName, String passwordHash,
                          Instant createdAt, Instant changedAt, boolean disabled) {
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ConsoleUser {
        Objects.requireNonNull(username, "username == null");
        Objects.requireNonNull(role, "role == null");
        Objects.requireNonNull(passwordHash, "passwordHash == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        changedAt = changedAt == null ? createdAt : changedAt;
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username '" + username
                    + "' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        displayName = displayName == null || displayName.isBlank() ? username : displayName;
    }

    @java.lang.Override
    public String toString() {
        return "ConsoleUser[" + username + ", " + role.word() + (secretaryId == null ? "" : ", secretary " + secretaryId)
                + (disabled ? ", disabled" : "") + "]";
    }
}
