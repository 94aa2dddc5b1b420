package de.vorzimmer.routing;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.CallerClass;
import de.vorzimmer.status.LiveStatus;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one list of withheld caller IDs holds for every adapter: what a SIP trunk sends in place of the number and
 * what Twilio sends (the words, and the same words on a phone keypad as pseudo numbers) all make an anonymous caller
 * with no number, whichever PBX the call came through.
 */
class WithheldCallerTest {
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "anonymous", "Anonymous", "restricted", "unknown", "UNAVAILABLE", "private",
            "blocked", "withheld", "+266696687", "266696687", "+86282452253", "+7378742833", "+2562533", "+8656696",
            "+7748283"})
    void aWithheldCallerIdIsAnonymous(String from) {
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(TestBooks.book()), LiveStatus.empty(), Set.of());
        Decision d = Router.decide(snapshot, Call.of("+49301234567", from), TestBooks.at("tue 09:00"));

        assertThat(d.caller().callerClass()).isEqualTo(CallerClass.ANONYMOUS);
        assertThat(d.caller().number()).isEmpty();
        assertThat(d.display()).isEqualTo("Müller: anonym");
    }
}
