package de.vorzimmer.console;

import java.util.Objects;

/**
 * Who is making an API request, as the auth handler established it.
 *
 * @param secretaryId the book secretary this user works as, or null
 * @param sessionKey  the stored (hashed) session id for a cookie session, null for an API token
 * @param csrfToken   the session's CSRF token, null for an API token
 */
public record Principal(String username, Role role, String secretaryId, String displayName, String sessionKey,
                       String csrfToken) {
    /** Where the auth handler leaves the principal in the routing context. */
    public static final String KEY = "vz.principal";

    public Principal {
        Objects.requireNonNull(username, "username == null");
        Objects.requireNonNull(role, "role == null");
    }

    public boolean viaSession() {
        return sessionKey != null;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
