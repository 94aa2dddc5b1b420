package de.vorzimmer.messages;

import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues each client's daily digest: at the client's {@code digest} time (their timezone), one SMS listing the
 * non-urgent messages still new since the previous digest time. Exactly once per client and local day: the
 * outbox key {@code digest:<client>:<date>} is unique, so several nodes, restarts and repeated ticks queue it once.
 * A digest time missed while the server was down is caught up at the next tick; with no messages nothing is sent.
 * Blocking (JDBC): call {@link #runOnce} off the event loop, e.g. every 30 seconds.
 */
public final class DigestScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(DigestScheduler.class);

    private final MessageStore messages;
    private final Supplier<Book> book;
    private final Clock clock;
    private final Duration giveUpAfter;
    private final Runnable queued;

    /** @param queued called when a digest was queued (wakes the outbox worker) */
    public DigestScheduler(MessageStore messages, Supplier<Book> book, Clock clock, Duration giveUpAfter, Runnable queued) {
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.book = Objects.requireNonNull(book, "book == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.giveUpAfter = Objects.requireNonNull(giveUpAfter, "giveUpAfter == null");
        this.queued = Objects.requireNonNull(queued, "queued == null");
    }

    /** Queues the digests that are due and not yet queued; returns how many it queued. */
    public int runOnce() {
        Instant now = clock.instant();
        int n = 0;
        for (Client c : book.get().clients()) {
            boolean mail = c.email() != null && c.emailFor().mailsDigest();
            if (c.digest() == null || c.sms() == null && !mail) continue;
            ZonedDateTime local = now.atZone(c.timezone());
            LocalDate day = local.toLocalDate();
            // ZonedDateTime.of moves a time in a spring-forward gap to after the gap; a repeated hour takes the first.
            ZonedDateTime at = ZonedDateTime.of(day, c.digest(), c.timezone());
            if (at.toInstant().isAfter(now)) {
                day = day.minusDays(1);
                at = ZonedDateTime.of(day, c.digest(), c.timezone());
            }
            ZonedDateTime previous = ZonedDateTime.of(day.minusDays(1), c.digest(), c.timezone());
            // the SMS and the e-mail digest are queued together (the same messages), guarded by the first one's key
            String smsKey = NewNotification.digestKey(c.id(), day.toString());
            String mailKey = NewNotification.emailDigestKey(c.id(), day.toString());
            String key = c.sms() != null ? smsKey : mailKey;
            if (messages.digestQueued(key)) continue;
            ZonedDateTime digestAt = at;
            int unconfirmed = messages.unconfirmedUrgent(c.id(), 99).size();
            Optional<Long> id = messages.enqueueDigest(key, c.id(), previous.toInstant(), at.toInstant(), messages -> {
                java.util.List<NewNotification> out = new java.util.ArrayList<>(2);
                if (c.sms() != null) {
                    out.add(new NewNotification(smsKey, NotificationKind.DIGEST, c.id(), c.sms(),
                            SmsText.digest(c, digestAt, messages, unconfirmed), now, now.plus(giveUpAfter)));
                }
                if (mail) {
                    out.add(new NewNotification(mailKey, NotificationKind.DIGEST, de.vorzimmer.notify.Channel.EMAIL,
                            c.id(), c.email(), "digest " + digestAt.toLocalDate() + ": " + messages.size(), now,
                            now.plus(giveUpAfter)));
                }
                return out;
            });
            if (id.isPresent()) {
                LOG.info("digest {} queued as outbox {}", key, id.get());
                n++;
            }
        }
        if (n > 0) queued.run();
        return n;
    }
}
