package de.vorzimmer.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.awaitility.Awaitility;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.notify.FakeTwilio.Answer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox through the real Twilio SDK against a local stand-in for Twilio's Messages API. */
class TwilioOutboxTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    @TempDir
    Path dir;
    FakeTwilio fake;
    OutboxFixture fx;

    @BeforeEach
    void open() throws Exception {
        fake = new FakeTwilio();
        fx = new OutboxFixture(dir.resolve("vz.db"), Clock.systemUTC(), Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        fx.close();
        fake.close();
    }

    private OutboxWorker worker(SmsSender sender) {
        return new OutboxWorker(fx.outbox, sender, Clock.systemUTC(), FAST, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    /** Runs the worker until nothing is pending any more (bounded). */
    private void drain(OutboxWorker w) {
        Awaitility.await("the outbox drained").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    w.runOnce();
                    return fx.outbox.list(NotificationState.PENDING, 10).isEmpty()
                            && fx.outbox.list(NotificationState.SENDING, 10).isEmpty();
                });
    }

    @Test
    void sdkPostsTheFormToTheMessagesResourceOfTheAccountAtTheConfiguredBase() throws Exception {
        Message m = fx.take(OutboxFixture.urgent("mueller", "Bitte dringend zurückrufen"));
        drain(worker(fx.sender(fake, TIMEOUT)));

        FakeTwilio.Received r = fake.received().get(0);
        assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + OutboxFixture.SID + "/Messages.json");
        assertThat(r.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (OutboxFixture.SID + ":" + OutboxFixture.TOKEN).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.form()).containsEntry("To", "+491701111111").containsEntry("From", OutboxFixture.FROM);
        assertThat(r.form().get("Body")).startsWith("DRINGEND Müller: Labor Schmidt, ").contains("Bitte dringend zurückrufen")
                .endsWith("Rückruf: +49309876543. Bestätigen: OK " + m.id());

        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.SENT);
        assertThat(n.providerId()).matches("SM[0-9a-f]{32}");
        assertThat(n.attempts()).isEqualTo(1);
        assertThat(fx.messages.get(m.id()).orElseThrow().state()).isEqualTo(MessageState.NOTIFIED);
        assertThat(fx.messages.history(m.id())).extracting(h -> h.to().word() + " by " + h.by())
                .containsExactly("new by null", "notified by sms");
    }

    @Test
    void rateLimitServerErrorAndTimeOutAreRetriedAndTheMessageIsSentOnce() throws Exception {
        fake.script(Answer.error(429, 20429), Answer.error(500, null), Answer.hang(TIMEOUT.toMillis() * 2), Answer.error(503, null));
        Message m = fx.take(OutboxFixture.urgent("mueller", "Retry me"));
        drain(worker(fx.sender(fake, TIMEOUT)));

        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.SENT);
        assertThat(n.attempts()).as("one provider request per attempt: the SDK's own retries are off").isEqualTo(5);
        assertThat(fake.received()).hasSize(5);
        assertThat(fake.accepted(n.to(), n.body())).isEqualTo(1);
    }

    @Test
    void invalidToNumberFailsAtOnceWithTheTwilioCode() throws Exception {
        fake.script(Answer.error(400, 21211));
        Message m = fx.take(OutboxFixture.urgent("mueller", "x"));
        drain(worker(fx.sender(fake, TIMEOUT)));

        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.FAILED);
        assertThat(n.attempts()).isEqualTo(1);
        assertThat(n.lastError()).startsWith("permanent: HTTP 400, Twilio error 21211");
        assertThat(fx.messages.get(m.id()).orElseThrow().state()).isEqualTo(MessageState.NEW);
    }

    @Test
    void transientFailuresGiveUpAfterTheConfiguredTime() throws Exception {
        fx.close();
        fx = new OutboxFixture(dir.resolve("giveup.db"), Clock.systemUTC(), Duration.ofMillis(1500));
        fake.rule(form -> Answer.error(500, null));
        Message m = fx.take(OutboxFixture.urgent("mueller", "never"));
        drain(worker(fx.sender(fake, TIMEOUT)));

        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.FAILED);
        assertThat(n.lastError()).startsWith("gave up after " + n.attempts() + " attempts: HTTP 500");
        assertThat(n.attempts()).isGreaterThan(1);
        assertThat(fake.received()).hasSize(n.attempts());
        assertThat(fx.outbox.list(NotificationState.FAILED, 10)).extracting(Notification::id).containsExactly(n.id());
    }

    @Test
    void refusedConnectionIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TwilioSmsSender nowhere = TwilioSmsSender.create(OutboxFixture.SID, OutboxFixture.TOKEN, OutboxFixture.FROM,
                URI.create("http://127.0.0.1:" + port), TIMEOUT);
        SendFailure f = org.junit.jupiter.api.Assertions.assertThrows(SendFailure.class, () -> nowhere.send("+491701111111", "x"));
        assertThat(f.permanent()).isFalse();
        assertThat(f.getMessage()).containsIgnoringCase("refused");
    }

    @Test
    void twoWorkersOnOneDatabaseSendEachMessageExactlyOnce() throws Exception {
        List<Message> taken = new ArrayList<>();
        for (int i = 0; i < 40; i++) taken.add(fx.take(OutboxFixture.urgent(i % 2 == 0 ? "mueller" : "smith", "msg " + i)));
        fake.rule(form -> form.get("Body").contains("msg 1") ? Answer.error(500, null) : Answer.OK); // some need retries
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                OutboxWorker worker = worker(fx.sender(fake, TIMEOUT));
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) worker.runOnce();
                    return null;
                }));
            }
            for (Future<?> f : runs) f.get();
            fake.rule(form -> Answer.OK);
            drain(worker(fx.sender(fake, TIMEOUT)));
        } finally {
            pool.shutdownNow();
        }
        for (Message m : taken) {
            Notification n = fx.outbox.forMessage(m.id()).get(0);
            assertThat(n.state()).as(n.toString()).isEqualTo(NotificationState.SENT);
            assertThat(fake.accepted(n.to(), n.body())).as(n.key()).isEqualTo(1);
        }
    }

    /** A worker on a node that stopped: it claimed what was due and died before recording anything. */
    private List<Notification> claimAndDie() {
        java.time.Instant now = java.time.Instant.now();
        return fx.outbox.claimDue(now, now, java.time.Instant.EPOCH, 10, new ArrayList<>());
    }

    /** The worker of the node that takes over, its clock {@code later}; claims older than 5 s count as abandoned. */
    private OutboxWorker takeOver(Duration later) {
        return new OutboxWorker(fx.outbox, fx.sender(fake, TIMEOUT), Clock.offset(Clock.systemUTC(), later), FAST,
                Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    @Test
    void aClaimAbandonedAfterTwilioAcceptedTheSmsIsRecordedWithItsSidAndNotSentAgain() throws Exception {
        Message m = fx.take(OutboxFixture.urgent("mueller", "in flight"));
        Notification claimed = claimAndDie().get(0);
        String sid = fx.sender(fake, TIMEOUT).send(claimed.to(), claimed.body()); // accepted, never recorded

        assertThat(worker(fx.sender(fake, TIMEOUT)).runOnce()).as("a live claim is left alone").isZero();
        assertThat(fake.lookups()).as("no look-up for a live claim").isZero();
        assertThat(takeOver(Duration.ofSeconds(10)).runOnce()).as("nothing sent").isZero();

        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.SENT);
        assertThat(n.providerId()).isEqualTo(sid);
        assertThat(fake.accepted(n.to(), n.body())).as("sent once").isEqualTo(1);
        assertThat(fake.lookups()).isEqualTo(1);
        FakeTwilio.Received lookup = fake.received().stream().filter(r -> r.method().equals("GET")).findFirst().orElseThrow();
        assertThat(lookup.path()).isEqualTo("/2010-04-01/Accounts/" + OutboxFixture.SID + "/Messages.json");
        assertThat(fx.messages.get(m.id()).orElseThrow().state()).isEqualTo(MessageState.NOTIFIED);
    }

    @Test
    void aClaimAbandonedBeforeTheRequestIsSentOnceAfterTheLookUp() throws Exception {
        Message m = fx.take(OutboxFixture.urgent("mueller", "never left"));
        claimAndDie();

        assertThat(takeOver(Duration.ofSeconds(10)).runOnce()).isEqualTo(1);
        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.SENT);
        assertThat(n.attempts()).isEqualTo(2);
        assertThat(fake.accepted(n.to(), n.body())).isEqualTo(1);
        assertThat(fake.lookups()).isEqualTo(1);
    }

    @Test
    void ofTwoAlikeTextsAbandonedTogetherOnlyTheOneTwilioHasIsNotSentAgain() throws Exception {
        // two notifications to one number can say the same (two digests of a quiet day): the dead worker got one out
        java.time.Instant now = java.time.Instant.now();
        for (String key : List.of("digest:mueller:a", "digest:mueller:b")) {
            fx.outbox.enqueue(new NewNotification(key, NotificationKind.DIGEST, "mueller", "+491701111111",
                    "Müller: keine neuen Nachrichten", now, now.plus(Duration.ofHours(1))));
        }
        List<Notification> claimed = claimAndDie();
        assertThat(claimed).hasSize(2);
        assertThat(claimed.get(0).body()).isEqualTo(claimed.get(1).body());
        String sid = fx.sender(fake, TIMEOUT).send(claimed.get(0).to(), claimed.get(0).body());

        assertThat(takeOver(Duration.ofSeconds(10)).runOnce()).as("one sent").isEqualTo(1);
        List<Notification> rows = List.of(fx.outbox.get(claimed.get(0).id()).orElseThrow(),
                fx.outbox.get(claimed.get(1).id()).orElseThrow());
        assertThat(rows).allMatch(r -> r.state() == NotificationState.SENT);
        assertThat(rows).extracting(Notification::providerId).doesNotHaveDuplicates().contains(sid);
        assertThat(fake.accepted(claimed.get(0).to(), claimed.get(0).body())).as("one SMS per row").isEqualTo(2);
    }

    @Test
    void aFailedLookUpNeitherSendsNorRecordsAndIsAskedAgainAfterTheNextLease() throws Exception {
        Message m = fx.take(OutboxFixture.urgent("mueller", "unknown fate"));
        Notification claimed = claimAndDie().get(0);
        fx.sender(fake, TIMEOUT).send(claimed.to(), claimed.body());
        fake.scriptLookups(true);
        fake.script(Answer.error(503, null));

        assertThat(takeOver(Duration.ofSeconds(10)).runOnce()).isZero();
        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).as("left claimed, not sent blind").isEqualTo(NotificationState.SENDING);
        assertThat(fake.accepted(n.to(), n.body())).isEqualTo(1);
        assertThat(takeOver(Duration.ofSeconds(12)).runOnce()).as("within the new claim's lease: left alone").isZero();
        assertThat(fake.lookups()).isEqualTo(1);

        assertThat(takeOver(Duration.ofSeconds(20)).runOnce()).as("asked again, found").isZero();
        n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.SENT);
        assertThat(fake.accepted(n.to(), n.body())).isEqualTo(1);
        assertThat(fake.lookups()).isEqualTo(2);
    }

    @Test
    void aLookUpStillFailingAtTheGiveUpTimeFailsTheSmsUnsentWithTheReason() throws Exception {
        Message m = fx.take(OutboxFixture.urgent("mueller", "never known")); // gives up after a minute
        claimAndDie();
        fake.scriptLookups(true);
        fake.script(Answer.error(500, null));

        assertThat(takeOver(Duration.ofMinutes(5)).runOnce()).isZero();
        Notification n = fx.outbox.forMessage(m.id()).get(0);
        assertThat(n.state()).isEqualTo(NotificationState.FAILED);
        assertThat(n.lastError()).startsWith("could not tell whether the provider carried out the attempt");
        assertThat(fake.accepted(n.to(), n.body())).isZero();
    }
}
