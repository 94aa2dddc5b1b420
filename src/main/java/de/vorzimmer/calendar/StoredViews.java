package de.vorzimmer.calendar;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.status.CalendarView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calendar views as the store holds them, for a decision at any instant (the command line's {@code route
 * --at}): the stored expansion where its window covers the instant, else the stored copy expanded again around it.
 * Never fetches.
 */
public final class StoredViews {
    private StoredViews() {
    }

    public static Map<String, CalendarView> at(CalendarStore store, Book book, Instant at, Duration horizon) {
        Map<String, FeedState> states = new HashMap<>();
        for (FeedState s : store.all()) states.put(s.clientId(), s);
        CalendarViews builder = new CalendarViews();
        Instant from = at.minus(CalendarSync.PAST);
        Instant to = at.plus(horizon);
        Map<String, CalendarView> out = new HashMap<>();
        for (Client c : book.clients()) {
            FeedState s = c.calendar() == null ? null : states.get(c.id());
            if (s != null && !s.url().equals(c.calendar().url())) s = null;
            CalendarView v;
            if (s != null && s.hasCopy() && !at.isBefore(s.expandedFrom()) && at.isBefore(s.expandedTo())) {
                v = builder.view(c, s.busy(), s.expandedFrom(), s.expandedTo(), s.failingSince());
            } else {
                List<CalendarView.Busy> busy = null;
                if (s != null) {
                    String text = store.copy(c.id()).orElse(null);
                    try {
                        busy = text == null ? null : Expansion.busy(IcsParser.parse(text), c.timezone(), from, to);
                    } catch (CalendarException e) {
                        busy = null;
                    }
                }
                v = builder.view(c, busy, from, to, s == null ? null : s.failingSince());
            }
            if (v != CalendarView.NONE) out.put(c.id(), v);
        }
        return Map.copyOf(out);
    }
}
