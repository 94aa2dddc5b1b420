package de.vorzimmer.config;

/** A configuration file or variable that cannot be used; the message names the key and the value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
