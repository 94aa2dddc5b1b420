package de.vorzimmer.book;

import static de.vorzimmer.book.Books.load;
import static de.vorzimmer.book.Books.oneClient;
import static de.vorzimmer.book.Books.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The book's {@code oncall}, {@code email}, {@code email-for} and {@code escalation} keys. */
class OnCallAndEmailTest {
    static final String CLIENT = """
                reach: "+49 170 1111111"
                email: praxis@example.de
                email-for: urgent
                oncall:
                  - { name: Dr. Müller, number: "+49 170 1111111" }
                  - { name: Dr. Schulz, number: "0171 2222222", days: sat-sun }
                  - { name: Nachtdienst, number: "+49 30 4444444", days: mon-fri, from: "20:00", to: "07:00" }
                  - { name: Praxis Schulz, number: "+49 30 5555555", from: "2026-12-24", to: "2027-01-02" }
                escalation: { after: 5m, ring: 20s }
            """;

    @Test
    void onCallEntriesAreReadWithTheirLimitsInOrder() {
        Client c = load(oneClient(CLIENT)).clients().get(0);

        assertThat(c.email()).isEqualTo("praxis@example.de");
        assertThat(c.emailFor()).isEqualTo(EmailFor.URGENT);
        assertThat(c.oncall()).extracting(OnCall::name)
                .containsExactly("Dr. Müller", "Dr. Schulz", "Nachtdienst", "Praxis Schulz");
        assertThat(c.oncall().get(1).number()).isEqualTo("+491712222222");
        assertThat(c.oncall().get(0).unlimited()).isTrue();
        assertThat(c.oncall().get(3).fromDate()).isEqualTo(LocalDate.of(2026, 12, 24));
        assertThat(c.escalation()).isEqualTo(new EscalationPolicy(Duration.ofMinutes(5), Duration.ofSeconds(20), 2));
    }

    @Test
    void whoIsOnCallDependsOnDayTimeAndDateInTheClientsZone() {
        Client c = load(oneClient(CLIENT)).clients().get(0);
        // Monday 30 Nov 2026, 10:00 Berlin: only Dr. Müller
        assertThat(names(c, "2026-11-30T09:00:00Z")).containsExactly("Dr. Müller");
        // Monday 22:00 Berlin: the night duty too
        assertThat(names(c, "2026-11-30T21:00:00Z")).containsExactly("Dr. Müller", "Nachtdienst");
        // Saturday 5 Dec, 10:00: the weekend's Dr. Schulz
        assertThat(names(c, "2026-12-05T09:00:00Z")).containsExactly("Dr. Müller", "Dr. Schulz");
        // Thursday 24 Dec 2026, 12:00: the holiday rota; 3 Jan 2027 (a Sunday): over again
        assertThat(names(c, "2026-12-24T11:00:00Z")).containsExactly("Dr. Müller", "Praxis Schulz");
        assertThat(names(c, "2027-01-03T11:00:00Z")).containsExactly("Dr. Müller", "Dr. Schulz");
    }

    @Test
    void theUrgentSmsGoesToTheFirstPersonOnCallAndWithoutAListToTheSmsNumber() {
        Client c = load(oneClient("""
                    sms: "+49 170 9999999"
                    oncall:
                      - { name: Wochenende, number: "+49 171 2222222", days: sat-sun }
                      - { name: Praxis, number: "+49 30 5555555" }
                """)).clients().get(0);
        assertThat(c.urgentSmsTo(Instant.parse("2026-12-05T09:00:00Z"))).isEqualTo("+491712222222");
        assertThat(c.urgentSmsTo(Instant.parse("2026-11-30T09:00:00Z"))).isEqualTo("+49305555555");

        Client plain = load(oneClient("    reach: \"+49 170 1111111\"\n")).clients().get(0);
        assertThat(plain.urgentSmsTo(Instant.parse("2026-11-30T09:00:00Z"))).isEqualTo("+491701111111");
        assertThat(plain.onCallAt(Instant.parse("2026-11-30T09:00:00Z"))).extracting(OnCall::number)
                .containsExactly("+491701111111");
        assertThat(plain.emailFor()).isEqualTo(EmailFor.DIGEST);
        assertThat(plain.escalation()).isEqualTo(EscalationPolicy.STANDARD);
    }

    @Test
    void escalationDefaultsComeFromTheBooksDefaults() {
        Book b = load("""
                version: 1
                defaults:
                  escalation: { after: 15, ring: 25, rounds: 3 }
                clients:
                  - id: a
                    name: A
                    lines: ["030 5550001"]
                  - id: b
                    name: B
                    lines: ["030 5550002"]
                    escalation: { rounds: 0 }
                """);
        EscalationPolicy d = new EscalationPolicy(Duration.ofMinutes(15), Duration.ofSeconds(25), 3);
        assertThat(b.defaults().escalation()).isEqualTo(d);
        assertThat(b.clients().get(0).escalation()).isEqualTo(d);
        assertThat(b.clients().get(1).escalation()).isEqualTo(new EscalationPolicy(d.after(), d.ring(), 0));
    }

    @Test
    void badEntriesAreProblemsNamingFieldAndLine() {
        List<BookProblem> ps = problems(oneClient("""
                    email: "not an address"
                    email-for: sometimes
                    oncall:
                      - { name: A }
                      - { name: B, number: "0171 2222222", from: "2026-12-24", to: "18:00" }
                      - { name: C, number: "0171 2222222", from: "2027-01-02", to: "2026-12-24" }
                      - { name: D, number: "0171 2222222", days: someday }
                      - { name: E, number: "0171 2222222", from: "08:00" }
                      - { name: F, number: "call me", shift: night }
                    escalation: { after: 2d, ring: 2s, rounds: 11 }
                """));
        assertThat(ps).extracting(BookProblem::field).containsExactlyInAnyOrder("email", "email-for",
                "oncall[0].number", "oncall[1].to", "oncall[2].to", "oncall[3].days", "oncall[4].to",
                "oncall[5].shift", "oncall[5].number", "escalation.after", "escalation.ring", "escalation.rounds");
        assertThat(ps).allSatisfy(p -> assertThat(p.why()).contains("(line "));
        assertThat(ps).filteredOn(p -> p.field().equals("oncall[0].number")).singleElement()
                .satisfies(p -> assertThat(p.why()).isEqualTo("is required (line 9)"));
    }

    @Test
    void exportWritesTheKeysAndReadsBackEqualAlsoFromTheSnapshot() throws Exception {
        Book b = load(oneClient(CLIENT));
        String yaml = BookWriter.write(b);
        assertThat(yaml).contains("    email: \"praxis@example.de\"\n").contains("    email-for: urgent\n")
                .contains("      - { name: \"Dr. Schulz\", number: \"+491712222222\", days: \"sat,sun\" }\n")
                .contains("from: \"2026-12-24\", to: \"2027-01-02\" }")
                .contains("    escalation: { after: 5m, ring: 20s, rounds: 2 }\n");
        assertThat(load(yaml)).isEqualTo(b);
        assertThat(BookSnapshot.decode(BookSnapshot.encode(b))).isEqualTo(b);
    }

    private static List<String> names(Client c, String instant) {
        return c.onCallAt(Instant.parse(instant)).stream().map(OnCall::name).toList();
    }
}
