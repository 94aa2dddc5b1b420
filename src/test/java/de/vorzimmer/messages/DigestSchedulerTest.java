package de.vorzimmer.messages;


import de.vorzimmer.notify.Backoff;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.OutboxFixture;
import de.vorzimmer.notify.OutboxWorker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestSchedulerTest {
    @TempDir
    Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T08:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    OutboxFixture fx;
    DigestScheduler digests;

    @BeforeEach
    void open() throws Exception {
        fx = new OutboxFixture(dir.resolve("vz.db"), clock, Duration.ofHours(1));
        digests = new DigestScheduler(fx.messages, () -> fx.book, clock, Duration.ofHours(1), () -> { });
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private Message take(String text, boolean urgent) {
        return fx.take(new NewMessage("mueller", null, "+4930111", "Anrufer", MessageKind.TYPED, text, null, urgent, false,
                Map.of("Rückrufnummer", "1"), null));
    }

    @Test
    void digestAtTheClientsLocalTimeListsTheDaysNonUrgentMessagesOnce() throws Exception {
        Message a = take("Termin verschieben", false);
        take("Dringend!", true);
        now.set(Instant.parse("2026-11-30T16:59:00Z")); // 17:59 in Berlin
        assertThat(digests.runOnce()).isZero();
        now.set(Instant.parse("2026-11-30T17:00:30Z")); // 18:00:30 in Berlin
        assertThat(digests.runOnce()).isEqualTo(1);
        assertThat(digests.runOnce()).as("exactly once per client per day").isZero();

        Notification n = fx.outbox.get(fx.outbox.list(null, 10).stream()
                .filter(x -> x.kind() == NotificationKind.DIGEST).findFirst().orElseThrow().id()).orElseThrow();
        assertThat(n.key()).isEqualTo("digest:mueller:2026-11-30");
        assertThat(n.body()).isEqualTo("Vorzimmer Müller 30.11.: 1 Nachricht, 1 dringend unbestätigt. 09:00 Anrufer: "
                + "Termin verschieben");
        assertThat(fx.outbox.forMessage(a.id())).extracting(Notification::key).containsExactly(n.key());

        try (FakeTwilio fake = new FakeTwilio()) {
            new OutboxWorker(fx.outbox, fx.sender(fake, Duration.ofSeconds(5)), clock, Backoff.STANDARD,
                    Duration.ofMinutes(1), Duration.ofSeconds(1)).runOnce();
            assertThat(fake.accepted("+491701111111", n.body())).isEqualTo(1);
        }
        assertThat(fx.messages.get(a.id()).orElseThrow().state()).isEqualTo(MessageState.NOTIFIED);

        now.set(Instant.parse("2026-12-01T17:00:30Z"));
        assertThat(digests.runOnce()).as("nothing new the next day: no SMS").isZero();
    }
}
