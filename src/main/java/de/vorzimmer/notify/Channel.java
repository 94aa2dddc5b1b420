package de.vorzimmer.notify;

import java.util.Locale;

/** How a notification reaches its recipient: an SMS, a call that reads the message out, or an e-mail. */
public enum Channel {
    SMS, CALL, EMAIL;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel parse(String word) {
        for (Channel c : values()) if (c.word().equals(word)) return c;
        throw new IllegalArgumentException("unknown channel '" + word + "', expected sms, call or email");
    }
}
