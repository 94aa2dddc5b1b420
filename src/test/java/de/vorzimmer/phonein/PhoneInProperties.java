package de.vorzimmer.phonein;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the caller keys, a change is made only from a complete, valid entry. */
class PhoneInProperties {
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("0123456789*#").ofMinLength(1).ofMaxLength(24);
    }

    @Provide
    Arbitrary<List<String>> sessions() {
        return Arbitraries.strings().withChars("0123456789*#").ofMinLength(0).ofMaxLength(6).list().ofMaxSize(12);
    }

    @Property(tries = 300)
    void hoursChangeOnlyFromOneToTwentyFour(@ForAll("keys") String keys) {
        Step s = new PhoneInDialogTest().keys(new PhoneInDialogTest().atMenu(), "3");
        Step after = PhoneInDialog.next(s.state(), Input.of(keys), PhoneInDialogTest.NOW, new FakeFacts());
        boolean valid = keys.matches("[0-9]{1,2}") && Integer.parseInt(keys) >= 1 && Integer.parseInt(keys) <= 24;
        assertThat(after.effects().isEmpty()).isEqualTo(!valid);
    }

    @Property(tries = 300)
    void dndChangesOnlyFromAValidHhmm(@ForAll("keys") String keys) {
        Step s = new PhoneInDialogTest().keys(new PhoneInDialogTest().atMenu(), "4");
        Step after = PhoneInDialog.next(s.state(), Input.of(keys), PhoneInDialogTest.NOW, new FakeFacts());
        boolean valid = keys.matches("([01][0-9]|2[0-3])[0-5][0-9]");
        assertThat(after.effects().isEmpty()).isEqualTo(!valid);
    }

    /** Random sessions never change anything before the PIN, and every step is well formed. */
    @Property(tries = 300)
    void nothingChangesWithoutTheRightPin(@ForAll("sessions") List<String> inputs) {
        FakeFacts facts = new FakeFacts();
        Step s = PhoneInDialog.start("+49309999999", PhoneInDialogTest.NOW, facts);
        for (String k : inputs) {
            if (s.hangsUp()) break;
            s = PhoneInDialog.next(s.state(), Input.of(k), PhoneInDialogTest.NOW, facts);
            boolean loggedIn = s.state().loggedIn();
            for (Effect e : s.effects()) {
                if (!(e instanceof Effect.PinAttempt)) assertThat(loggedIn).as("effect %s before login", e).isTrue();
            }
            assertThat(s.prompts().isEmpty() && !s.hangsUp()).isFalse();
        }
    }
}
