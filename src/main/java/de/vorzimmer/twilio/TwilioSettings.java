package de.vorzimmer.twilio;


import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * What the webhooks need from the configuration. The public URL is where Twilio reaches us (scheme, host,
 * port and any path prefix a proxy adds); signatures are checked against it plus the request's path and query,
 * never against the Host header, so a proxy or a spoofed Host cannot change what is validated.
 *
 * @param publicUrl  e.g. {@code https://vz.example.com} or {@code https://example.com/vorzimmer}, no trailing slash
 * @param authToken  the account's auth token (the HMAC key); never logged
 * @param accountSid the account's SID, or null to accept any account whose signature is valid
 */
public record TwilioSettings(String publicUrl, String authToken, String accountSid) {
    public TwilioSettings {
        Objects.requireNonNull(publicUrl, "publicUrl == null");
        Objects.requireNonNull(authToken, "authToken == null");
        if (authToken.isBlank()) throw new IllegalArgumentException("twilio auth token is empty");
        publicUrl = publicUrl.strip();
        while (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        URI uri;
        try {
            uri = new URI(publicUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("twilio public URL '" + publicUrl + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("twilio public URL '" + publicUrl + "' must be http(s)://HOST[:PORT][/PREFIX]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("twilio public URL '" + publicUrl + "' must not have a query or fragment");
        }
        accountSid = accountSid == null || accountSid.isBlank() ? null : accountSid.strip();
    }

    /** The absolute URL of a path on this server as Twilio requests it, e.g. {@code url("/twilio/voice")}. */
    public String url(String pathAndQuery) {
        return publicUrl + pathAndQuery;
    }

    @Override
    public String toString() {
        return "TwilioSettings[publicUrl=" + publicUrl + ", accountSid=" + accountSid + ", authToken=***]";
    }
}
