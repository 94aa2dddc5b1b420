package de.vorzimmer.asterisk;

import de.vorzimmer.book.Secretary;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.StatusService;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secretaries' duty from their phones' device state: a phone that is not registered ({@code UNAVAILABLE},
 * {@code INVALID}, {@code UNKNOWN}) is off duty, one that is idle, busy or ringing is on duty. Only a change
 * between the two (or the first state seen after an AMI connect) is written, so a secretary who went off
 * duty in the console stays off while her phone merely goes busy and idle; unregistering and registering
 * again do set her duty. Blocking (JDBC): call from one worker thread.
 */
public final class DevicePresence {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePresence.class);
    static final String SOURCE = "ami";
    private static final Set<String> OFF = Set.of("UNAVAILABLE", "INVALID", "UNKNOWN");
    private static final Set<String> ON = Set.of("NOT_INUSE", "INUSE", "BUSY", "RINGING", "RINGINUSE", "ONHOLD");

    private final LiveRouting routing;
    private final StatusService status;
    private final Map<String, Boolean> lastSeen = new HashMap<>();

    /** @param status where duty changes go (live for routing at once) */
    public DevicePresence(LiveRouting routing, StatusService status) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.status = Objects.requireNonNull(status, "status == null");
    }

    /** On duty for a device state word, or empty for a word that says nothing about registration. */
    static Optional<Boolean> onDuty(String state) {
        if (state == null) return Optional.empty();
        String s = state.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
        if (OFF.contains(s)) return Optional.of(false);
        if (ON.contains(s)) return Optional.of(true);
        return Optional.empty();
    }

    /** Forget what was seen (after a reconnect the next state of each device is compared with the store). */
    public void reset() {
        lastSeen.clear();
    }

    /** Handles one {@code DeviceStateChange}; returns the secretary whose duty was written, if any. */
    public Optional<String> deviceState(String device, String state) {
        if (device == null) return Optional.empty();
        Optional<Boolean> on = onDuty(state);
        if (on.isEmpty()) return Optional.empty();
        Secretary secretary = null;
        for (Secretary s : routing.snapshot().book().secretaries()) {
            if (s.endpoint().equalsIgnoreCase(device)) {
                secretary = s;
                break;
            }
        }
        if (secretary == null) return Optional.empty();
        boolean onDuty = on.get();
        Boolean before = lastSeen.put(device.toLowerCase(Locale.ROOT), onDuty);
        if (before != null && before == onDuty) return Optional.empty();
        boolean storedOn = !routing.snapshot().offDuty().contains(secretary.id());
        if (storedOn == onDuty) return Optional.empty();
        status.setDuty(secretary.id(), onDuty, routing.now(), SOURCE);
        LOG.info("secretary {} {} duty: {} is {}", secretary.id(), onDuty ? "on" : "off", device, state);
        return Optional.of(secretary.id());
    }
}
