package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event sequences in the order Asterisk 22 sends them for the Vorzimmer dialplan (as seen on the sandbox:
 * VarSet from vorzimmer-lib/prepare and the route AGI, VZ_STAGE from vorzimmer-act, Dial events, bridge, hangup)
 * and the states they must produce.
 */
class CallTrackerTest {
    private static final String IN = "1732741234.10";
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    /** Compact event script: "var NAME=VALUE", "dial DESTCHANNEL DESTID", "end DESTCHANNEL STATUS", "bridge ID CHANNEL", "hangup ID". */
    private static List<CallEvent> script(String... lines) {
        List<CallEvent> out = new ArrayList<>();
        int i = 0;
        for (String line : lines) {
            Instant at = T0.plusSeconds(i++);
            String[] p = line.split(" ", 2);
            switch (p[0]) {
                case "var" -> {
                    int eq = p[1].indexOf('=');
                    out.add(new CallEvent.VarSet(IN, p[1].substring(0, eq), p[1].substring(eq + 1), at));
                }
                case "dial" -> {
                    String[] d = p[1].split(" ");
                    out.add(new CallEvent.DialBegin(IN, d[0], d[1], at));
                }
                case "end" -> {
                    String[] d = p[1].split(" ");
                    out.add(new CallEvent.DialEnd(IN, d[0], null, d[1], at));
                }
                case "bridge" -> {
                    String[] d = p[1].split(" ");
                    out.add(new CallEvent.BridgeEnter(d[0], d[1], at));
                }
                case "hangup" -> out.add(new CallEvent.Hangup(p[1], at));
                default -> throw new IllegalArgumentException(line);
            }
        }
        return out;
    }

    private static final String[] PREPARE = {
        "var VZ_DIALED=+49309990000", "var VZ_FORWARDED_FROM=+49301234567", "var VZ_SAFE_FWD=+49301234567",
        "var VZ_SAFE_CALLER=+49305550000", "var VZ_SAFE_CALLER_NAME=", "var VZ_ACTION=", "var VZ_CLIENT=",
        "var VZ_DISPLAY=", "var VZ_URGENT=0", "var VZ_TARGETS=", "var VZ_SCREEN_TARGETS=", "var VZ_STAGE="};

    private static String[] call(String... rest) {
        String[] all = new String[PREPARE.length + rest.length];
        System.arraycopy(PREPARE, 0, all, 0, PREPARE.length);
        System.arraycopy(rest, 0, all, PREPARE.length, rest.length);
        return all;
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
            Arguments.of("screen answered by anna", call(
                "var VZ_CLIENT=mueller", "var VZ_DISPLAY=Müller: +49305550000", "var VZ_TARGETS=PJSIP/anna&PJSIP/ben",
                "var VZ_ACTION=screen", "var VZ_SCREEN_TARGETS=PJSIP/anna&PJSIP/ben", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000001 1732741234.11", "dial PJSIP/ben-00000002 1732741234.12",
                "end PJSIP/anna-00000001 ANSWER", "end PJSIP/ben-00000002 CANCEL",
                "bridge " + IN + " Local/s@vorzimmer-test-forward-00000000;2", "bridge 1732741234.11 PJSIP/anna-00000001",
                "hangup 1732741234.11", "hangup " + IN),
                List.of("ringing", "answered", "ended"), "PJSIP/anna"),
            Arguments.of("screen, caller hangs up while ringing", call(
                "var VZ_CLIENT=mueller", "var VZ_TARGETS=PJSIP/anna", "var VZ_ACTION=screen",
                "var VZ_SCREEN_TARGETS=PJSIP/anna", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000001 1732741234.11", "end PJSIP/anna-00000001 CANCEL",
                "hangup 1732741234.11", "hangup " + IN),
                List.of("ringing", "missed"), null),
            Arguments.of("put-through accepted by the client", call(
                "var VZ_CLIENT=mueller", "var VZ_TARGETS=Local/+491701111111@vorzimmer-reach",
                "var VZ_FALLBACK_TARGETS=PJSIP/anna", "var VZ_ACTION=put-through", "var VZ_STAGE=put-through",
                "dial Local/+491701111111@vorzimmer-reach-00000003;1 1732741234.13",
                "end Local/+491701111111@vorzimmer-reach-00000003;1 ANSWER",
                "bridge " + IN + " Local/s@vorzimmer-test-forward-00000000;2", "hangup " + IN),
                List.of("ringing", "answered", "ended"), "Local/+491701111111@vorzimmer-reach"),
            Arguments.of("put-through whisper declined, then screened and answered", call(
                "var VZ_CLIENT=mueller", "var VZ_TARGETS=Local/+491701111111@vorzimmer-reach",
                "var VZ_FALLBACK_TARGETS=PJSIP/anna", "var VZ_ACTION=put-through", "var VZ_STAGE=put-through",
                "dial Local/+491701111111@vorzimmer-reach-00000003;1 1732741234.13",
                "end Local/+491701111111@vorzimmer-reach-00000003;1 ANSWER",
                "hangup 1732741234.13",
                "var VZ_SCREEN_TARGETS=PJSIP/anna", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000004 1732741234.14", "end PJSIP/anna-00000004 ANSWER",
                "bridge 1732741234.14 PJSIP/anna-00000004", "bridge " + IN + " x", "hangup " + IN),
                List.of("ringing", "ringing", "answered", "ended"), "PJSIP/anna"),
            Arguments.of("message recorded", call(
                "var VZ_CLIENT=mueller", "var VZ_URGENT=1", "var VZ_ACTION=message", "var VZ_STAGE=message",
                "var VZ_RECORDING=/rec/vz-" + IN + ".wav", "var VZ_CLIENT=mueller", "var VZ_URGENT=1",
                "hangup " + IN),
                List.of("message", "ended"), null),
            Arguments.of("caller gone during the greeting: missed", call(
                "var VZ_CLIENT=mueller", "var VZ_ACTION=message", "var VZ_STAGE=message", "hangup " + IN),
                List.of("missed"), null),
            Arguments.of("screen unanswered, then recorded", call(
                "var VZ_CLIENT=mueller", "var VZ_ACTION=screen", "var VZ_SCREEN_TARGETS=PJSIP/anna", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000001 1732741234.11", "end PJSIP/anna-00000001 NOANSWER", "hangup 1732741234.11",
                "var VZ_STAGE=message", "var VZ_RECORDING=/rec/vz-" + IN + ".wav", "hangup " + IN),
                List.of("ringing", "message", "ended"), null),
            Arguments.of("rejected", call("var VZ_ACTION=reject", "var VZ_STAGE=reject", "hangup " + IN),
                List.of("ended"), null),
            Arguments.of("server down: fallback rings, nobody there, recorded", call(
                "var VZ_STAGE=fallback", "var VZ_FALLBACK=1", "var VZ_CLIENT=", "var VZ_URGENT=0",
                "var VZ_SCREEN_TARGETS=PJSIP/anna&PJSIP/ben", "var VZ_DISPLAY=+49301234567: +49305550000",
                "dial PJSIP/anna-00000001 1732741234.11", "end PJSIP/anna-00000001 CHANUNAVAIL",
                "var VZ_STAGE=message", "var VZ_RECORDING=/rec/vz-" + IN + ".wav", "hangup " + IN),
                List.of("ringing", "message", "ended"), null),
            Arguments.of("phone-in call (no stage): no updates", new String[] {
                "var VZ_DIALED=s", "var VZ_SAFE_CALLER=+491701111111", "var VZ_ACTION=", "hangup " + IN},
                List.of(), null));
    }

    @org.junit.jupiter.api.Test
    void liveStateSpeaksE164LikeTheDecision() {
        // the trunk sent national numbers; with the book's region they read as E.164 before the decision arrives
        CallTracker tracker = new CallTracker(n -> de.vorzimmer.book.PhoneNumbers.normalizeIncoming(n, "DE"));
        List<CallUpdate> updates = new ArrayList<>();
        for (CallEvent e : script("var VZ_DIALED=0301234567", "var VZ_SAFE_FWD=", "var VZ_SAFE_CALLER=0309876543",
                "var VZ_CLIENT=mueller", "var VZ_SCREEN_TARGETS=PJSIP/anna", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000001 1732741234.11")) {
            updates.addAll(tracker.on(e));
        }
        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.caller()).isEqualTo("+49309876543");
            assertThat(u.line()).isEqualTo("+49301234567");
        });
        // once the decision arrives, its numbers are the call's
        CallDecision d = new CallDecision(IN, "mueller", "+49301234567", "+49309876543", "vip", "Labor Schmidt", "screen",
                List.of("message"), false, "Müller: Labor Schmidt", null, List.of("why"), 3);
        assertThat(tracker.decided(d)).singleElement().satisfies(u -> {
            assertThat(u.caller()).isEqualTo("+49309876543");
            assertThat(u.line()).isEqualTo("+49301234567");
            assertThat(u.toJson().getString("caller")).isEqualTo("+49309876543");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void sequenceGivesStates(String name, String[] lines, List<String> states, String answeredBy) {
        CallTracker tracker = new CallTracker();
        List<CallUpdate> updates = new ArrayList<>();
        for (CallEvent e : script(lines)) updates.addAll(tracker.on(e));
        assertThat(updates).extracting(u -> u.state().word()).containsExactlyElementsOf(states);
        assertThat(updates).allSatisfy(u -> assertThat(u.callId()).isEqualTo(IN));
        updates.stream().filter(u -> u.state() == CallState.ANSWERED).forEach(u -> assertThat(u.answeredBy()).isEqualTo(answeredBy));
        assertThat(tracker.active()).as("nothing left after the hangup").isZero();
    }

    @Test
    void ringingCarriesTheStageTargetsDisplayAndCaller() {
        CallTracker tracker = new CallTracker();
        List<CallUpdate> updates = new ArrayList<>();
        for (CallEvent e : script(call("var VZ_CLIENT=mueller", "var VZ_DISPLAY=Müller: Labor Schmidt",
                "var VZ_TARGETS=PJSIP/anna&PJSIP/ben", "var VZ_SCREEN_TARGETS=PJSIP/anna&PJSIP/ben",
                "var VZ_STAGE=screen", "dial PJSIP/anna-00000001 1732741234.11"))) {
            updates.addAll(tracker.on(e));
        }
        CallUpdate ringing = updates.get(0);
        assertThat(ringing.targets()).containsExactly("PJSIP/anna", "PJSIP/ben");
        assertThat(ringing.display()).isEqualTo("Müller: Labor Schmidt");
        assertThat(ringing.caller()).isEqualTo("+49305550000");
        assertThat(ringing.line()).isEqualTo("+49301234567");
        assertThat(ringing.client()).isEqualTo("mueller");
        assertThat(ringing.toJson().getString("state")).isEqualTo("ringing");
        assertThat(ringing.toJson().getString("callId")).isEqualTo(IN);
    }

    @Test
    void theLineIsTheDecisionsOnceThereIsOneAndTheDeliveredOneInTheFallback() {
        CallTracker decided = new CallTracker();
        List<CallUpdate> updates = new ArrayList<>();
        // a carrier delivered the forwarding line in national form; the route script names it in E.164
        for (CallEvent e : script("var VZ_DIALED=+49309990000", "var VZ_SAFE_FWD=0301234567", "var VZ_LINE=",
                "var VZ_CLIENT=mueller", "var VZ_LINE=+49301234567", "var VZ_ACTION=screen", "var VZ_STAGE=screen",
                "dial PJSIP/anna-00000001 1732741234.11")) {
            updates.addAll(decided.on(e));
        }
        CallTracker fallback = new CallTracker();
        for (CallEvent e : script("var VZ_DIALED=+49309990000", "var VZ_SAFE_FWD=0301234567", "var VZ_STAGE=fallback",
                "var VZ_LINE=0301234567", "dial PJSIP/anna-00000001 1732741234.11")) {
            updates.addAll(fallback.on(e));
        }

        assertThat(updates).extracting(CallUpdate::line).containsExactly("+49301234567", "0301234567");
    }

    @Test
    void eventsOfOtherChannelsAreIgnored() {
        CallTracker tracker = new CallTracker();
        assertThat(tracker.on(new CallEvent.VarSet("other.1", "VZ_STAGE", "screen", T0))).isEmpty();
        assertThat(tracker.on(new CallEvent.DialBegin("other.1", "PJSIP/anna-00000001", "x.2", T0))).isEmpty();
        assertThat(tracker.on(new CallEvent.Hangup("other.1", T0))).isEmpty();
        assertThat(tracker.active()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "PJSIP/anna-0000002a, PJSIP/anna",
        "Local/+491701111111@vorzimmer-reach-00000003;1, Local/+491701111111@vorzimmer-reach",
        "Local/100@vorzimmer-test-noanswer-0000000f;2, Local/100@vorzimmer-test-noanswer",
        "PJSIP/anna, PJSIP/anna"})
    void endpointOfAChannel(String channel, String endpoint) {
        assertThat(CallTracker.endpoint(channel)).isEqualTo(endpoint);
    }

    private static CallDecision decision(String callId) {
        return new CallDecision(callId, "mueller", "+49301234567", "+49305550000", "vip", "Labor Schmidt", "screen",
                List.of("message"), true, "Müller: Labor Schmidt", "Praxis Dr. Müller", List.of("rule 2: contact 'Labor Schmidt' -> screen"), 7);
    }

    private static List<CallUpdate> feed(CallTracker tracker, String... lines) {
        List<CallUpdate> out = new ArrayList<>();
        for (CallEvent e : script(lines)) out.addAll(tracker.on(e));
        return out;
    }

    @Test
    void theDecisionMadeForACallTravelsWithEveryUpdateOfIt() {
        CallTracker tracker = new CallTracker();
        feed(tracker, PREPARE);
        assertThat(tracker.decided(decision(IN))).isEmpty();
        List<CallUpdate> updates = feed(tracker, "var VZ_CLIENT=mueller", "var VZ_TARGETS=PJSIP/anna", "var VZ_ACTION=screen",
                "var VZ_STAGE=screen", "dial PJSIP/anna-00000001 1732741234.11", "hangup " + IN);
        assertThat(updates).extracting(u -> u.state().word()).containsExactly("ringing", "missed");
        assertThat(updates).allSatisfy(u -> assertThat(u.decision()).isEqualTo(decision(IN)));
    }

    @Test
    void aDecisionThatArrivesBeforeTheCallsFirstEventIsKeptForIt() {
        CallTracker tracker = new CallTracker();
        assertThat(tracker.decided(decision(IN))).isEmpty();
        feed(tracker, PREPARE);
        List<CallUpdate> updates = feed(tracker, "var VZ_STAGE=screen", "dial PJSIP/anna-00000001 1732741234.11");
        assertThat(updates).singleElement().satisfies(u -> assertThat(u.decision().callerClass()).isEqualTo("vip"));
    }

    @Test
    void aDecisionThatArrivesWhileTheCallRingsGivesTheRingingUpdateAgainWithIt() {
        CallTracker tracker = new CallTracker();
        List<CallUpdate> ringing = feed(tracker, call("var VZ_STAGE=screen", "dial PJSIP/anna-00000001 1732741234.11"));
        assertThat(ringing).singleElement().satisfies(u -> assertThat(u.decision()).isNull());
        List<CallUpdate> again = tracker.decided(decision(IN));
        assertThat(again).singleElement().satisfies(u -> {
            assertThat(u.state()).isEqualTo(CallState.RINGING);
            assertThat(u.decision().why()).containsExactly("rule 2: contact 'Labor Schmidt' -> screen");
            assertThat(u.toJson().getJsonObject("decision").getLong("bookVersion")).isEqualTo(7L);
        });
    }

    @Test
    void aDecisionSurvivesItsJsonForm() {
        CallDecision d = decision(IN);
        assertThat(CallDecision.fromJson(d.toJson())).isEqualTo(d);
    }
}
