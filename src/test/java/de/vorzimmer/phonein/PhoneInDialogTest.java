package de.vorzimmer.phonein;

import de.vorzimmer.messages.MessageState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.phonein.DialogState.Phase;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure phone-in dialog as scenarios: the caller's keys in, prompts and effects out. */
class PhoneInDialogTest {
    /** Monday 30 November 2026, 09:00 in Berlin: Dr. Müller's hours (mon-fri 08:30-12:00). */
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String MUELLER_MOBILE = "+491701111111";
    static final String STRANGER = "+49309999999";

    final FakeFacts facts = new FakeFacts();

    // ---- helpers -------------------------------------------------------------------------------------------

    Step start(String caller) {
        return PhoneInDialog.start(caller, NOW, facts);
    }

    Step step(Step from, Input in) {
        return PhoneInDialog.next(from.state(), in, NOW, facts);
    }

    Step keys(Step from, String... entries) {
        Step s = from;
        for (String k : entries) s = step(s, Input.of(k));
        return s;
    }

    /** Dr. Müller, recognised by her mobile, logged in with her PIN: at the menu. */
    Step atMenu() {
        Step s = keys(start(MUELLER_MOBILE), "4711");
        assertThat(s.state().phase()).isEqualTo(Phase.MENU);
        return s;
    }

    /** The state at {@code phase}, logged in as Dr. Müller. */
    Step at(Phase phase) {
        return switch (phase) {
            case ASK_CODE -> start(STRANGER);
            case ASK_PIN -> start(MUELLER_MOBILE);
            case MENU -> atMenu();
            case ASK_HOURS -> keys(atMenu(), "3");
            case ASK_TIME -> keys(atMenu(), "4");
            case ASK_NUMBER -> keys(atMenu(), "6");
            case MESSAGE -> {
                facts.messages.add(recording(1));
                yield keys(atMenu(), "7");
            }
            case DONE -> throw new IllegalArgumentException();
        };
    }

    static List<Phrase> phrases(Step s) {
        return s.prompts().stream().filter(p -> p instanceof Prompt.Say).map(p -> ((Prompt.Say) p).phrase()).toList();
    }

    static Override override(Step s) {
        List<Effect.SetOverride> set = s.effects().stream().filter(e -> e instanceof Effect.SetOverride)
                .map(e -> (Effect.SetOverride) e).toList();
        assertThat(set).hasSize(1);
        return set.get(0).override();
    }

    static Message recording(long id) {
        return new Message(id, NOW.minus(Duration.ofHours(2)), "mueller", "+49301234567", "+49309876543", "Labor",
                MessageKind.RECORDING, null, "/var/spool/vorzimmer/vz-" + id + ".wav", true,
                de.vorzimmer.messages.MessageState.NEW, null, null, "call-" + id);
    }

    static Message typed(long id, String text) {
        return new Message(id, NOW.minus(Duration.ofHours(1)), "mueller", null, "", null, MessageKind.TYPED, text, null,
                false, de.vorzimmer.messages.MessageState.NOTIFIED, null, "anna", null);
    }

    // ---- login ---------------------------------------------------------------------------------------------

    @Test
    void recognisedCallerIsAskedForThePinInHerLanguage() {
        Step s = start(MUELLER_MOBILE);
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_PIN);
        assertThat(s.state().clientId()).isEqualTo("mueller");
        assertThat(s.state().language()).isEqualTo("de");
        assertThat(phrases(s)).containsExactly(Phrase.WELCOME, Phrase.ENTER_PIN);
        assertThat(s.ask().maxDigits()).isEqualTo(PhoneInDialog.MAX_PIN);
        assertThat(start("+447700900456").state().language()).isEqualTo("en"); // Jane Smith's sms number
    }

    @Test
    void rightPinOpensTheMenuWithStatusUntilWhenAndTheMessageCount() {
        facts.messages.add(recording(1));
        facts.messages.add(typed(2, "Bitte Labor zurückrufen"));
        Step s = keys(start(MUELLER_MOBILE), "4711");
        assertThat(s.effects()).containsExactly(new Effect.PinAttempt("mueller", true));
        assertThat(phrases(s)).containsExactly(Phrase.STATUS_IS, Phrase.AVAILABLE, Phrase.UNTIL, Phrase.YOU_HAVE,
                Phrase.NEW, Phrase.MESSAGES, Phrase.MENU);
        // available by her hours until 12:00 today
        assertThat(s.prompts()).contains(new Prompt.Time(ZonedDateTime.of(2026, 11, 30, 12, 0, 0, 0, BERLIN), false),
                new Prompt.Number(2));
        assertThat(s.ask().singleKey()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0301234567", "49301234567", "0049301234567"})
    void unknownCallerNamesTheClientByLineNumber(String code) {
        Step s = start(STRANGER);
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_CODE);
        assertThat(phrases(s)).containsExactly(Phrase.WELCOME, Phrase.ENTER_CODE);
        s = keys(s, code);
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_PIN);
        assertThat(s.state().clientId()).isEqualTo("mueller");
        s = keys(s, "4711");
        assertThat(s.state().phase()).isEqualTo(Phase.MENU);
    }

    @Test
    void anonymousCallerIsAskedForTheCode() {
        assertThat(start("").state().phase()).isEqualTo(Phase.ASK_CODE);
    }

    @Test
    void unknownCodeIsAskedForAPinAndThenRefusedWithoutRecordingAnAttempt() {
        Step s = keys(start(STRANGER), "0309999999");
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_PIN);
        assertThat(phrases(s)).containsExactly(Phrase.ENTER_PIN);
        s = keys(s, "4711");
        assertThat(s.effects()).isEmpty();
        assertThat(phrases(s)).containsExactly(Phrase.INCORRECT, Phrase.ENTER_CODE);
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_CODE);
    }

    @Test
    void wrongPinIsRecordedAndAskedAgainThreeTimesAtMost() {
        Step s = keys(start(MUELLER_MOBILE), "1234");
        assertThat(s.effects()).containsExactly(new Effect.PinAttempt("mueller", false));
        assertThat(phrases(s)).containsExactly(Phrase.INCORRECT, Phrase.ENTER_PIN);
        s = keys(s, "12345");
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_PIN);
        s = keys(s, "123456789"); // too long: a wrong PIN all the same
        assertThat(s.hangsUp()).isTrue();
        assertThat(phrases(s)).containsExactly(Phrase.INCORRECT, Phrase.GOODBYE);
        assertThat(s.effects()).containsExactly(new Effect.PinAttempt("mueller", false));
    }

    @Test
    void wrongPinOfAnUnrecognisedCallerGoesBackToTheCode() {
        Step s = keys(start(STRANGER), "0301234567", "0000");
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_CODE);
        assertThat(s.state().clientId()).isNull();
        assertThat(s.state().loginFailures()).isEqualTo(1);
    }

    @Test
    void starInThePinStartsOverWithoutCountingAsWrong() {
        Step s = keys(start(MUELLER_MOBILE), "47*");
        assertThat(s.effects()).isEmpty();
        assertThat(phrases(s)).containsExactly(Phrase.CANCELLED, Phrase.ENTER_PIN);
        assertThat(keys(s, "4711").state().phase()).isEqualTo(Phase.MENU);
    }

    @Test
    void clientWithoutPinCannotLogIn() {
        Step s = keys(start("+491705555555"), "0000");
        assertThat(s.state().phase()).isEqualTo(Phase.ASK_PIN);
        assertThat(phrases(s)).startsWith(Phrase.INCORRECT);
    }

    @Test
    void fifthWrongPinWithinTheHourLocksAndTellsTheSecretaries() {
        facts.pins.put("mueller", new PinLockout.PinState(4, null));
        Step s = keys(start(MUELLER_MOBILE), "0000");
        assertThat(s.effects()).containsExactly(new Effect.PinAttempt("mueller", false),
                new Effect.Lock("mueller", NOW.plus(PinLockout.LOCK), 5));
        assertThat(phrases(s)).containsExactly(Phrase.INCORRECT, Phrase.LOCKED, Phrase.GOODBYE);
        assertThat(s.hangsUp()).isTrue();
    }

    @Test
    void lockedClientIsTurnedAwayEvenWithTheRightPin() {
        facts.pins.put("mueller", new PinLockout.PinState(5, NOW.plus(Duration.ofMinutes(30))));
        Step s = start(MUELLER_MOBILE);
        assertThat(s.hangsUp()).isTrue();
        assertThat(phrases(s)).containsExactly(Phrase.LOCKED, Phrase.GOODBYE);
        s = keys(start(STRANGER), "0301234567");
        assertThat(s.hangsUp()).isTrue();
        assertThat(s.effects()).isEmpty();
        assertThat(phrases(s)).containsExactly(Phrase.LOCKED, Phrase.GOODBYE);
    }

    // ---- changes -------------------------------------------------------------------------------------------

    static Stream<Arguments> changes() {
        Instant today1430 = ZonedDateTime.of(2026, 11, 30, 14, 30, 0, 0, BERLIN).toInstant();
        Instant tomorrow0800 = ZonedDateTime.of(2026, 12, 1, 8, 0, 0, 0, BERLIN).toInstant();
        return Stream.of(
                Arguments.of(List.of("2"), OverrideKind.AVAILABLE, null, null),
                Arguments.of(List.of("3", "2"), OverrideKind.UNAVAILABLE, NOW.plus(Duration.ofHours(2)), null),
                Arguments.of(List.of("3", "24"), OverrideKind.UNAVAILABLE, NOW.plus(Duration.ofHours(24)), null),
                Arguments.of(List.of("4", "1430"), OverrideKind.DND, today1430, null),
                Arguments.of(List.of("4", "0800"), OverrideKind.DND, tomorrow0800, null),
                Arguments.of(List.of("5"), OverrideKind.SCHEDULE, null, null),
                Arguments.of(List.of("6", "01709876543"), OverrideKind.EXPECT, NOW.plus(PhoneInDialog.EXPECT_FOR),
                        "+491709876543"),
                Arguments.of(List.of("6", "00441632960001"), OverrideKind.EXPECT, NOW.plus(PhoneInDialog.EXPECT_FOR),
                        "+441632960001"));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void menuChoiceSetsAPhoneInOverride(List<String> entries, OverrideKind kind, Instant until, String number) {
        Step s = keys(atMenu(), entries.toArray(String[]::new));
        Override o = override(s);
        assertThat(o.kind()).isEqualTo(kind);
        assertThat(o.clientId()).isEqualTo("mueller");
        assertThat(o.source()).isEqualTo("phone-in");
        assertThat(o.setAt()).isEqualTo(NOW);
        assertThat(o.until()).isEqualTo(until);
        assertThat(o.number()).isEqualTo(number == null ? null : NumberPattern.exact(number));
        assertThat(s.state().phase()).isEqualTo(Phase.MENU);
        assertThat(phrases(s)).startsWith(Phrase.SAVED).endsWith(Phrase.MENU);
    }

    @Test
    void dndReadsBackItsEnd() {
        Step s = keys(atMenu(), "4", "1430");
        assertThat(phrases(s)).containsExactly(Phrase.SAVED, Phrase.STATUS_IS, Phrase.DND, Phrase.UNTIL, Phrase.MENU);
        assertThat(s.prompts()).contains(new Prompt.Time(ZonedDateTime.of(2026, 11, 30, 14, 30, 0, 0, BERLIN), false));
    }

    @Test
    void availableWithoutEndSaysUntilChanged() {
        assertThat(phrases(keys(atMenu(), "2"))).containsExactly(Phrase.SAVED, Phrase.STATUS_IS, Phrase.AVAILABLE,
                Phrase.UNTIL_CHANGED, Phrase.MENU);
    }

    @Test
    void statusOfAnOverrideIsReadOut() {
        facts.overrides.add(new Override(7, "mueller", OverrideKind.UNAVAILABLE, null, NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(1)), null, "console"));
        Step s = keys(atMenu(), "1");
        assertThat(phrases(s)).containsExactly(Phrase.STATUS_IS, Phrase.UNAVAILABLE, Phrase.UNTIL, Phrase.MENU);
        assertThat(s.prompts()).contains(new Prompt.Time(ZonedDateTime.of(2026, 12, 1, 9, 0, 0, 0, BERLIN), true));
        assertThat(s.effects()).isEmpty();
    }

    @Test
    void nineSaysGoodbye() {
        Step s = keys(atMenu(), "9");
        assertThat(s.hangsUp()).isTrue();
        assertThat(phrases(s)).containsExactly(Phrase.GOODBYE);
    }

    // ---- bad input -----------------------------------------------------------------------------------------

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(Phase.ASK_CODE, "", Phrase.NO_INPUT),
                Arguments.of(Phase.ASK_CODE, "030*1234", Phrase.INVALID),
                Arguments.of(Phase.ASK_CODE, "0301234567#", Phrase.INVALID),
                Arguments.of(Phase.ASK_CODE, "0123456789012345", Phrase.TOO_MANY_DIGITS),
                Arguments.of(Phase.ASK_PIN, "", Phrase.NO_INPUT),
                Arguments.of(Phase.MENU, "", Phrase.NO_INPUT),
                Arguments.of(Phase.MENU, "8", Phrase.INVALID),
                Arguments.of(Phase.MENU, "#", Phrase.INVALID),
                Arguments.of(Phase.MENU, "23", Phrase.TOO_MANY_DIGITS),
                Arguments.of(Phase.ASK_HOURS, "", Phrase.NO_INPUT),
                Arguments.of(Phase.ASK_HOURS, "0", Phrase.INVALID),
                Arguments.of(Phase.ASK_HOURS, "25", Phrase.INVALID),
                Arguments.of(Phase.ASK_HOURS, "100", Phrase.TOO_MANY_DIGITS),
                Arguments.of(Phase.ASK_HOURS, "2#", Phrase.INVALID),
                Arguments.of(Phase.ASK_HOURS, "#2", Phrase.INVALID),
                Arguments.of(Phase.ASK_TIME, "", Phrase.NO_INPUT),
                Arguments.of(Phase.ASK_TIME, "930", Phrase.INVALID),
                Arguments.of(Phase.ASK_TIME, "2400", Phrase.INVALID),
                Arguments.of(Phase.ASK_TIME, "1260", Phrase.INVALID),
                Arguments.of(Phase.ASK_TIME, "14300", Phrase.TOO_MANY_DIGITS),
                Arguments.of(Phase.ASK_TIME, "14#3", Phrase.INVALID),
                Arguments.of(Phase.ASK_NUMBER, "", Phrase.NO_INPUT),
                Arguments.of(Phase.ASK_NUMBER, "1", Phrase.INVALID),
                Arguments.of(Phase.ASK_NUMBER, "017012345678901234567", Phrase.TOO_MANY_DIGITS),
                Arguments.of(Phase.ASK_NUMBER, "0170#123", Phrase.INVALID),
                Arguments.of(Phase.MESSAGE, "", Phrase.NO_INPUT),
                Arguments.of(Phase.MESSAGE, "5", Phrase.INVALID),
                Arguments.of(Phase.MESSAGE, "#", Phrase.INVALID),
                Arguments.of(Phase.MESSAGE, "12", Phrase.TOO_MANY_DIGITS));
    }

    @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
    @MethodSource("badInput")
    void badInputIsNamedAndTheSamePromptOfferedAgainWithoutAnyChange(Phase phase, String keys, Phrase why) {
        Step before = at(phase);
        Step s = step(before, Input.of(keys));
        assertThat(s.effects()).isEmpty();
        assertThat(s.state().phase()).isEqualTo(phase);
        assertThat(s.state().retries()).isEqualTo(1);
        assertThat(s.hangsUp()).isFalse();
        assertThat(phrases(s)).first().isEqualTo(why);
        assertThat(s.prompts()).endsWith(PhoneInDialog.question(phase).toArray(Prompt[]::new));
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = "DONE", mode = EnumSource.Mode.EXCLUDE)
    void timeOutAtEveryPromptEndsTheCallAfterTheLastRetryWithoutAnyChange(Phase phase) {
        Step s = at(phase);
        List<Effect> effects = new ArrayList<>();
        for (int i = 1; i <= PhoneInDialog.MAX_RETRIES; i++) {
            s = step(s, Input.TIMEOUT);
            effects.addAll(s.effects());
            assertThat(s.hangsUp()).as("retry %d", i).isFalse();
            assertThat(phrases(s)).first().isEqualTo(Phrase.NO_INPUT);
        }
        s = step(s, Input.TIMEOUT);
        effects.addAll(s.effects());
        assertThat(s.hangsUp()).isTrue();
        assertThat(phrases(s)).containsExactly(Phrase.NO_INPUT, Phrase.TOO_MANY_TRIES, Phrase.GOODBYE);
        assertThat(effects).isEmpty();
    }

    @Test
    void aGoodInputResetsTheRetries() {
        Step s = keys(atMenu(), "", "", "8");
        assertThat(s.state().retries()).isEqualTo(3);
        s = keys(s, "1");
        assertThat(s.state().retries()).isZero();
        assertThat(keys(s, "", "", "").hangsUp()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "1*", "*14", "0*"})
    void starCancelsAnEntryAndChangesNothing(String keys) {
        for (String choice : List.of("3", "4", "6")) {
            Step s = keys(atMenu(), choice, keys);
            assertThat(s.effects()).isEmpty();
            assertThat(s.state().phase()).isEqualTo(Phase.MENU);
            assertThat(phrases(s)).containsExactly(Phrase.CANCELLED, Phrase.MENU);
        }
    }

    @Test
    void hangupEndsSilentlyAndChangesNothing() {
        for (Phase p : List.of(Phase.ASK_PIN, Phase.MENU, Phase.ASK_HOURS, Phase.MESSAGE)) {
            Step s = step(at(p), Input.HANGUP);
            assertThat(s.hangsUp()).isTrue();
            assertThat(s.effects()).isEmpty();
            assertThat(s.prompts()).isEmpty();
        }
    }

    @Test
    void theLineDroppingDuringAnEntryIsAHangUpNotKeys() {
        // what Asterisk's GET DATA answers when the caller hung up while entering the PIN
        for (Phase p : List.of(Phase.ASK_CODE, Phase.ASK_PIN, Phase.ASK_TIME, Phase.ASK_NUMBER)) {
            Step s = step(at(p), Input.of(Input.DROPPED));
            assertThat(s.hangsUp()).as("%s", p).isTrue();
            assertThat(s.effects()).as("no PIN attempt, no change").isEmpty();
            assertThat(s.prompts()).isEmpty();
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------

    @Test
    void messagesArePlayedOneByOneAndMarkedReadWhenTheCallerMovesOn() {
        facts.messages.add(recording(1));
        facts.messages.add(typed(2, "Bitte Labor zurückrufen"));
        Step s = keys(atMenu(), "7");
        assertThat(s.state().phase()).isEqualTo(Phase.MESSAGE);
        assertThat(s.effects()).isEmpty();
        assertThat(s.prompts()).containsSubsequence(new Prompt.Say(Phrase.MESSAGE), new Prompt.Number(1),
                new Prompt.Say(Phrase.URGENT), new Prompt.Say(Phrase.FROM), new Prompt.Digits("49309876543"),
                new Prompt.Say(Phrase.RECEIVED), new Prompt.Recording("/var/spool/vorzimmer/vz-1.wav"),
                new Prompt.Say(Phrase.MESSAGE_OPTIONS));
        s = keys(s, "1"); // again
        assertThat(s.effects()).containsExactly(new Effect.MarkRead(1));
        assertThat(s.prompts()).contains(new Prompt.Recording("/var/spool/vorzimmer/vz-1.wav"));
        s = keys(s, "2"); // next: the typed one
        assertThat(s.effects()).containsExactly(new Effect.MarkRead(1));
        assertThat(s.prompts()).containsSubsequence(new Prompt.Number(2), new Prompt.Say(Phrase.ANONYMOUS),
                new Prompt.Say(Phrase.TYPED), new Prompt.Text("Bitte Labor zurückrufen"));
        s = keys(s, "2");
        assertThat(s.effects()).containsExactly(new Effect.MarkRead(2));
        assertThat(phrases(s)).containsExactly(Phrase.NO_MORE, Phrase.MENU);
        assertThat(s.state().phase()).isEqualTo(Phase.MENU);
    }

    @Test
    void starLeavesTheMessagesForTheMenuAndMarksTheHeardOneRead() {
        facts.messages.add(recording(1));
        facts.messages.add(recording(2));
        Step s = keys(atMenu(), "7", "*");
        assertThat(s.effects()).containsExactly(new Effect.MarkRead(1));
        assertThat(s.state().phase()).isEqualTo(Phase.MENU);
        assertThat(s.state().queue()).isEmpty();
    }

    @Test
    void hangingUpDuringAMessageDoesNotMarkItRead() {
        facts.messages.add(recording(1));
        assertThat(step(keys(atMenu(), "7"), Input.HANGUP).effects()).isEmpty();
    }

    @Test
    void noMessagesIsSaid() {
        Step s = keys(atMenu(), "7");
        assertThat(phrases(s)).containsExactly(Phrase.NO_MESSAGES, Phrase.MENU);
    }

    @Test
    void missedCallWithoutRecordingIsSaidAsSuch() {
        facts.messages.add(new Message(3, NOW, "mueller", null, "+49309876543", null, MessageKind.MISSED, null, null,
                false, de.vorzimmer.messages.MessageState.NEW, null, null, null));
        assertThat(phrases(keys(atMenu(), "7"))).contains(Phrase.MISSED_CALL);
    }

    // ---- state ---------------------------------------------------------------------------------------------

    @Test
    void stateSurvivesJson() {
        facts.messages.add(recording(1));
        facts.messages.add(recording(2));
        DialogState s = keys(atMenu(), "7", "2").state();
        assertThat(DialogState.fromJson(s.toJson())).isEqualTo(s);
        assertThrows(IllegalArgumentException.class, () -> DialogState.fromJson("{\"phase\":\"NOPE\"}"));
        assertThrows(IllegalArgumentException.class, () -> DialogState.fromJson("not json"));
    }

    @Test
    void seqCountsSteps() {
        Step s = start(MUELLER_MOBILE);
        assertThat(s.state().seq()).isEqualTo(1);
        assertThat(keys(s, "4711", "1").state().seq()).isEqualTo(3);
        assertThat(PhoneInDialog.repeat(s.state()).state().seq()).isEqualTo(1);
    }

    @Test
    void keysMustBeDtmf() {
        assertThrows(IllegalArgumentException.class, () -> Input.of("12a"));
        assertThat(Input.of("")).isEqualTo(Input.TIMEOUT);
        assertThat(Input.of(null)).isEqualTo(Input.TIMEOUT);
    }
}
