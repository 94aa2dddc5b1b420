package de.vorzimmer.usage;

import java.util.Objects;

/**
 * What one client's calls cost in a month.
 *
 * @param calls               calls routed for the client (dry runs of {@code POST /api/v1/route} never count)
 * @param secretaryCalls      calls a secretary answered that have ended
 * @param secretarySeconds    the time secretaries spent on them, each call rounded up to whole steps
 * @param putThroughs         calls put through to the client: routed so, or put through from the console
 * @param messages            messages left for the client (recorded, missed calls, typed by a secretary)
 * @param urgentNotifications urgent SMS queued for the client, not counting those that failed
 */
public record ClientUsage(String client, String name, int calls, int secretaryCalls, long secretarySeconds,
                          int putThroughs, int messages, int urgentNotifications) {
    public ClientUsage {
        Objects.requireNonNull(client, "client == null");
        Objects.requireNonNull(name, "name == null");
    }
}
