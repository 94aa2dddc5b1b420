package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.console.LoginThrottle.Admission;
import de.vorzimmer.console.LoginThrottle.Admitted;
import de.vorzimmer.console.LoginThrottle.Lock;
import de.vorzimmer.console.LoginThrottle.Refused;
import de.vorzimmer.console.LoginThrottle.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginThrottleTest {
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final String HOME = "192.0.2.10";

    final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Limits(5, 20, WINDOW, 1000));

    /** One whole failed attempt; the locks it imposed, or null if it was refused. */
    List<Lock> fail(LoginThrottle t, String user, String address, Instant at) {
        Admission a = t.begin(user, address, at);
        if (a instanceof Refused) return null;
        return t.failed((Admitted) a, at);
    }

    @Test
    void theFifthFailureLocksTheUsernameAndEveryLaterAttemptIsRefusedForTheWindow() {
        for (int i = 0; i < 4; i++) assertThat(fail(throttle, "anna", HOME, T0.plusSeconds(i))).isEmpty();
        List<Lock> locks = fail(throttle, "anna", HOME, T0.plusSeconds(4));
        assertThat(locks).containsExactly(new Lock(Scope.USERNAME, "anna", 5, T0.plusSeconds(4), T0.plusSeconds(4).plus(WINDOW)));

        Admission sixth = throttle.begin("Anna ", HOME, T0.plusSeconds(10));
        assertThat(sixth).isEqualTo(new Refused(Scope.USERNAME, WINDOW.minusSeconds(6)));
        Admission justBefore = throttle.begin("anna", HOME, T0.plusSeconds(4).plus(WINDOW).minusMillis(1));
        assertThat(justBefore).isEqualTo(new Refused(Scope.USERNAME, Duration.ofMillis(1)));
        assertThat(throttle.begin("anna", HOME, T0.plusSeconds(4).plus(WINDOW))).isInstanceOf(Admitted.class);
    }

    @Test
    void afterTheLockTheCountStartsAfresh() {
        for (int i = 0; i < 5; i++) fail(throttle, "anna", HOME, T0);
        Instant later = T0.plus(WINDOW);
        for (int i = 0; i < 4; i++) assertThat(fail(throttle, "anna", HOME, later)).isEmpty();
        assertThat(fail(throttle, "anna", HOME, later)).extracting(Lock::scope).containsExactly(Scope.USERNAME);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        for (int i = 0; i < 4; i++) fail(throttle, "anna", HOME, T0);
        assertThat(fail(throttle, "anna", HOME, T0.plus(WINDOW))).isEmpty();
        for (int i = 0; i < 3; i++) assertThat(fail(throttle, "anna", HOME, T0.plus(WINDOW).plusSeconds(1))).isEmpty();
    }

    @Test
    void aSuccessClearsTheUsernameButTheAddressKeepsItsFailures() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, 6, WINDOW, 1000));
        for (int i = 0; i < 4; i++) fail(t, "anna", HOME, T0);
        t.succeeded((Admitted) t.begin("anna", HOME, T0));
        assertThat(fail(t, "anna", HOME, T0)).isEmpty();
        // the address counted the four and the two failures, not the success: the sixth locks it, not the username
        assertThat(fail(t, "anna", HOME, T0)).containsExactly(new Lock(Scope.ADDRESS, HOME, 6, T0, T0.plus(WINDOW)));
        assertThat(t.begin("anna", HOME, T0)).isEqualTo(new Refused(Scope.ADDRESS, WINDOW));
        assertThat(t.begin("anna", "198.51.100.7", T0)).isInstanceOf(Admitted.class);
    }

    @Test
    void theAddressLimitHoldsAcrossManyUsernames() {
        List<Lock> locks = new ArrayList<>();
        for (int i = 0; i < 20; i++) locks.addAll(fail(throttle, "user" + i, HOME, T0));
        assertThat(locks).containsExactly(new Lock(Scope.ADDRESS, HOME, 20, T0, T0.plus(WINDOW)));
        assertThat(throttle.begin("someone-new", HOME, T0.plusSeconds(1)))
                .isEqualTo(new Refused(Scope.ADDRESS, WINDOW.minusSeconds(1)));
        assertThat(throttle.begin("someone-new", "198.51.100.7", T0.plusSeconds(1))).isInstanceOf(Admitted.class);
    }

    @Test
    void attemptsStillBeingCheckedTakeTheirPlaceInTheQuota() {
        // five attempts for one user begin before any has an answer: the sixth cannot start a sixth password check
        List<Admitted> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) inFlight.add((Admitted) throttle.begin("admin", "198.51.100." + i, T0));
        assertThat(throttle.begin("admin", "198.51.100.99", T0)).isEqualTo(new Refused(Scope.USERNAME, WINDOW));
        for (Admitted a : inFlight.subList(0, 4)) assertThat(throttle.failed(a, T0.plusSeconds(1))).isEmpty();
        assertThat(throttle.failed(inFlight.get(4), T0.plusSeconds(1))).extracting(Lock::scope).containsExactly(Scope.USERNAME);
    }

    @Test
    void aRightPasswordInFlightWhenTheLockFellStillClearsTheUsername() {
        List<Admitted> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) inFlight.add((Admitted) throttle.begin("anna", HOME, T0));
        for (Admitted a : inFlight.subList(0, 4)) throttle.failed(a, T0);
        throttle.succeeded(inFlight.get(4));
        assertThat(throttle.begin("anna", HOME, T0)).isInstanceOf(Admitted.class);
    }

    @Test
    void aZeroLimitSwitchesThatLimitOff() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(3, 0, WINDOW, 1000));
        for (int i = 0; i < 100; i++) fail(t, "user" + i, HOME, T0);
        assertThat(t.trackedAddresses()).isZero();
        assertThat(t.begin("fresh", HOME, T0)).isInstanceOf(Admitted.class);
        for (int i = 0; i < 3; i++) fail(t, "anna", HOME, T0);
        assertThat(t.begin("anna", HOME, T0)).isInstanceOf(Refused.class);
    }

    @Test
    void aFloodOfMadeUpUsernamesAndAddressesKeepsEachTableAtItsCap() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, 20, WINDOW, 500));
        for (int i = 0; i < 20_000; i++) {
            fail(t, "random-" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), T0.plusMillis(i));
        }
        assertThat(t.trackedUsernames()).isEqualTo(500);
        assertThat(t.trackedAddresses()).isEqualTo(500);
    }

    @Test
    void aLockedUsernameThatKeepsBeingTriedIsNotTheOneEvicted() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, 0, WINDOW, 100));
        for (int i = 0; i < 5; i++) fail(t, "admin", HOME, T0);
        for (int i = 0; i < 1000; i++) {
            fail(t, "random-" + i, HOME, T0.plusMillis(i));
            // the attacker keeps trying admin in between: the entry stays among the recently seen
            if (i % 50 == 0) assertThat(t.begin("admin", HOME, T0.plusMillis(i))).isInstanceOf(Refused.class);
        }
        assertThat(t.trackedUsernames()).isEqualTo(100);
        assertThat(t.begin("admin", HOME, T0.plusSeconds(2))).isInstanceOf(Refused.class);
    }

    @Test
    void finishedEntriesMakeRoomBeforeTheLeastRecentlySeen() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, 0, WINDOW, 3));
        fail(t, "old", HOME, T0);                 // its window opens at T0
        fail(t, "anna", HOME, T0.plusSeconds(1)); // anna's at T0 + 1 s
        fail(t, "old", HOME, T0.plusSeconds(2));  // "old" is now seen more recently than anna
        fail(t, "ben", HOME, T0.plusSeconds(3));
        // at T0 + window "old" is finished, anna is not (and is the least recently seen): "old" makes room
        Instant end = T0.plus(WINDOW);
        fail(t, "carla", HOME, end);
        assertThat(t.trackedUsernames()).isEqualTo(3);
        for (int i = 0; i < 3; i++) assertThat(fail(t, "anna", HOME, end)).isEmpty();
        assertThat(fail(t, "anna", HOME, end)).extracting(Lock::scope, Lock::failures)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Scope.USERNAME, 5));
    }

    @ParameterizedTest(name = "{0} counts as {1}")
    @CsvSource({
            "192.0.2.10, 192.0.2.10",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd, 2001:db8:1:2::/64",
            "2001:db8:1:2::1, 2001:db8:1:2::/64",
            "[2001:db8:1:2::1], 2001:db8:1:2::/64",
            "fe80::1%eth0, fe80:0:0:0::/64",
            "::ffff:192.0.2.10, 192.0.2.10",
            "'', unknown",
    })
    void addressesCountByHostOrIpv6Network(String address, String key) {
        assertThat(LoginThrottle.addressKey(address)).isEqualTo(key);
    }

    @Test
    void badLimitsAreRefusedWithTheirName() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new LoginThrottle.Limits(-1, 20, WINDOW, 10)).getMessage()).isEqualTo("perUser -1 < 0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new LoginThrottle.Limits(5, 20, Duration.ZERO, 10)).getMessage()).isEqualTo("window PT0S is not positive");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new LoginThrottle.Limits(5, 20, WINDOW, 0)).getMessage()).isEqualTo("maxEntries 0 < 1");
    }
}
