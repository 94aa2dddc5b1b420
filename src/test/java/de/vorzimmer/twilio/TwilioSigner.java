package de.vorzimmer.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request the way Twilio does, written from Twilio's description and independent of the SDK (so the
 * tests do not check the validator against itself): HMAC-SHA1, keyed with the auth token, over the full URL
 * followed by every POST parameter, sorted by name, as name and value concatenated; Base64.
 */
public final class TwilioSigner {
    private final byte[] token;

    public TwilioSigner(String authToken) {
        this.token = authToken.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> e : new TreeMap<>(form).entrySet()) data.append(e.getKey()).append(e.getValue());
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
