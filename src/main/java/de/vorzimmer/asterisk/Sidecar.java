package de.vorzimmer.asterisk;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the dialplan reports about one recorded message: the sidecar {@code vz-UNIQUEID.txt} next to the
 * recording ({@code key=value} lines) or, with the same content, the {@code VorzimmerMessage} UserEvent.
 *
 * @param uniqueId      Asterisk unique id of the inbound channel; the message's call id
 * @param client        client id, or null (unknown line, or recorded while the server was unreachable)
 * @param forwardedFrom redirecting number, or null
 * @param recording     path of the {@code .wav} as Asterisk wrote it
 * @param fallback      recorded by the static fallback (the server did not decide)
 */
public record Sidecar(String uniqueId, Instant time, String caller, String callerName, String dialed,
                      String forwardedFrom, String client, boolean urgent, boolean fallback, String recording) {
    /** Unique ids as Asterisk makes them ({@code 1732741234.42}, or a system-name prefix); also file-name safe. */
    static final Pattern UNIQUE_ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");
    static final int MAX_BYTES = 8 * 1024;

    public Sidecar {
        Objects.requireNonNull(uniqueId, "uniqueId == null");
        if (!UNIQUE_ID.matcher(uniqueId).matches()) throw new SidecarException("uniqueid '" + AgiCalls.clip(uniqueId) + "' is not an Asterisk unique id");
        Objects.requireNonNull(time, "time == null");
        Objects.requireNonNull(recording, "recording == null");
        caller = caller == null ? "" : caller;
        callerName = blankToNull(callerName);
        dialed = blankToNull(dialed);
        forwardedFrom = blankToNull(forwardedFrom);
        client = blankToNull(client);
    }

    /** The same report with the recording's path as this server reads it (see {@code asterisk.recordings-pbx-path}). */
    public Sidecar withRecording(String path) {
        return path.equals(recording) ? this : new Sidecar(uniqueId, time, caller, callerName, dialed, forwardedFrom,
                client, urgent, fallback, path);
    }

    /** The line the call came in on: the forwarded-from number, else the dialed one. */
    public String line() {
        return forwardedFrom != null ? forwardedFrom : dialed;
    }

    /**
     * Reads a sidecar file's text.
     *
     * @param fallbackTime when the file has no usable {@code time=} (e.g. its modification time)
     * @throws SidecarException naming the field that is missing or malformed
     */
    public static Sidecar parse(String text, Instant fallbackTime) {
        if (text.length() > MAX_BYTES) throw new SidecarException("sidecar is " + text.length() + " characters, more than " + MAX_BYTES);
        Map<String, String> kv = new HashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) throw new SidecarException("sidecar line '" + AgiCalls.clip(line) + "' is not key=value");
            kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        String id = kv.get("uniqueid");
        if (id == null || id.isEmpty()) throw new SidecarException("sidecar has no uniqueid");
        String recording = kv.get("recording");
        if (recording == null || recording.isEmpty()) throw new SidecarException("sidecar has no recording");
        return new Sidecar(id, time(kv.get("time"), fallbackTime), kv.get("caller"), kv.get("caller_name"),
                kv.get("dialed"), kv.get("forwarded_from"), kv.get("client"), "1".equals(kv.get("urgent")),
                "1".equals(kv.get("fallback")), recording);
    }

    /** The same report from the UserEvent. */
    public static Sidecar of(VorzimmerMessageEvent e, Instant received) {
        String id = e.getUniqueId();
        // an older dialplan also sent its own UniqueID field: Asterisk-Java joins duplicate headers with '\n'
        if (id != null && id.indexOf('\n') >= 0) id = id.substring(0, id.indexOf('\n'));
        if (id == null || id.isEmpty()) throw new SidecarException("VorzimmerMessage event has no Uniqueid");
        if (e.getRecording() == null || e.getRecording().isEmpty()) {
            throw new SidecarException("VorzimmerMessage event has no Recording");
        }
        return new Sidecar(id, time(e.getTime(), received), e.getCaller(), e.getCallerName(), e.getDialed(),
                e.getForwardedFrom(), e.getClient(), "1".equals(e.getUrgent()), "1".equals(e.getFallback()),
                e.getRecording());
    }

    private static Instant time(String text, Instant fallback) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException ex) {
            return fallback;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
