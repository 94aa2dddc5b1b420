package de.vorzimmer.status;

import de.vorzimmer.book.Client;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a client's status or a secretary's duty changes, whichever channel asks (console, client SMS, phone-in
 * line, command line, the PBX's device state): the change is stored (committed before this returns, so every node
 * reading the database sees it), then {@code changed} makes this process's routing see it at once; other processes
 * notice the new row themselves. What the status is and when it next changes is {@link #outlook}.
 *
 * <p>Overrides are only ever added (the newest active one decides) and duty is one row per secretary written with an
 * upsert, so concurrent writers on several nodes need no lock: the database orders them. Blocking (JDBC).
 */
public final class StatusService {
    private static final Logger LOG = LoggerFactory.getLogger(StatusService.class);

    private final OverrideStore overrides;
    private final DutyStore duty;
    private final Runnable changed;

    /** @param changed makes this process's routing see a change (reloads the live status); blocking, may be a no-op */
    public StatusService(OverrideStore overrides, DutyStore duty, Runnable changed) {
        this.overrides = Objects.requireNonNull(overrides, "overrides == null");
        this.duty = Objects.requireNonNull(duty, "duty == null");
        this.changed = Objects.requireNonNull(changed, "changed == null");
    }

    /** Stores a status or expect override and returns it as stored (with its id), live for routing on return. */
    public Override set(Override o) {
        Override stored = overrides.add(o);
        changed.run();
        LOG.info("status: {} set {} for {}{}{}", stored.source(), stored.kind().word(), stored.clientId(),
                stored.number() == null ? "" : " " + stored.number(), stored.until() == null ? "" : " until " + stored.until());
        return stored;
    }

    /** Records that a secretary went on or off duty; live for routing on return. */
    public void setDuty(String secretaryId, boolean onDuty, Instant at, String source) {
        duty.set(secretaryId, onDuty, at, source);
        changed.run();
        LOG.info("duty: {} {} duty ({})", secretaryId, onDuty ? "on" : "off", source);
    }

    /** {@code c}'s status at {@code t} from its {@code overrides}, what decided it, and its next change. Pure. */
    public static StatusTimeline.Outlook outlook(Client c, List<Override> overrides, Instant t) {
        return outlook(c, overrides, CalendarView.NONE, t);
    }

    /** As {@link #outlook(Client, List, Instant)}, with the client's calendar and public holidays. Pure. */
    public static StatusTimeline.Outlook outlook(Client c, List<Override> overrides, CalendarView calendar, Instant t) {
        return StatusTimeline.outlook(overrides, calendar, c.hours(), c.timezone(), t);
    }
}
