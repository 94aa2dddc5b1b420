package de.vorzimmer.book;

import static de.vorzimmer.book.Books.load;
import static de.vorzimmer.book.Books.oneClient;
import static de.vorzimmer.book.Books.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client book's optional {@code intake:} fields and {@code digest:} time. */
class IntakeAndDigestTest {
    @Test
    void intakeTakesNamesOrNameWithRequiredAndDigestATime() {
        Client c = load(oneClient("""
                    digest: "18:00"
                    intake:
                      - Patient seit
                      - { name: Rückrufnummer, required: true }
                """)).clients().get(0);
        assertThat(c.intake()).containsExactly(new IntakeField("Patient seit", false), new IntakeField("Rückrufnummer", true));
        assertThat(c.digest()).isEqualTo(LocalTime.of(18, 0));
    }

    @Test
    void withoutThemAClientHasNoIntakeAndNoDigest() {
        Client c = load(oneClient("")).clients().get(0);
        assertThat(c.intake()).isEmpty();
        assertThat(c.digest()).isNull();
    }

    @Test
    void badIntakeAndDigestAreProblemsNamingTheField() {
        List<BookProblem> ps = problems(oneClient("""
                    digest: "25:00"
                    intake:
                      - A
                      - A
                      - { name: B, required: maybe }
                      - { title: C }
                """));
        assertThat(ps).extracting(BookProblem::field)
                .containsExactlyInAnyOrder("intake[1]", "intake[2].required", "intake[3].title", "intake[3].name", "digest");
    }

    @Test
    void exportWritesIntakeAndDigestAndReadsBackEqual() {
        Book b = load(oneClient("""
                    digest: "07:30"
                    intake: [ "Patient seit", { name: "Rückrufnummer", required: true } ]
                """));
        String yaml = BookWriter.write(b);
        assertThat(yaml).contains("    digest: \"07:30\"\n").contains("      - { name: \"Rückrufnummer\", required: true }\n");
        assertThat(load(yaml)).isEqualTo(b);
    }

    @Test
    void theOldConstructorStillBuildsAClientWithoutIntake() {
        Client c = new Client("x", "X", null, null, List.of("+49301234567"), null, null, "DE",
                java.time.ZoneId.of("Europe/Berlin"), "de", null, List.of(), List.of(), List.of());
        assertThat(c.intake()).isEmpty();
        assertThat(c.digest()).isNull();
    }
}
