package de.vorzimmer.book;

import static de.vorzimmer.book.Books.load;
import static de.vorzimmer.book.Books.oneClient;
import static de.vorzimmer.book.Books.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The book's handling notes for the secretary: client {@code instructions} and contact {@code note}. */
class HandlingNotesTest {
    private static final String WITH_NOTES = oneClient("""
                instructions: "  Patienten mit Schmerzen immer durchstellen  "
                contacts:
                  - { name: Familie, numbers: ["030 5550002"], note: "Familie – keine Daten aufnehmen" }
                  - { name: Labor, numbers: ["030 5550003"], class: vip }
            """);

    @Test
    void instructionsAndNotesAreReadStripped() {
        Client c = load(WITH_NOTES).clients().get(0);
        assertThat(c.instructions()).isEqualTo("Patienten mit Schmerzen immer durchstellen");
        assertThat(c.contacts()).extracting(Contact::note).containsExactly("Familie – keine Daten aufnehmen", null);
    }

    @Test
    void withoutThemAClientHasNoInstructionsAndAContactNoNote() {
        Client c = load(oneClient("""
                    contacts: [ { name: A, numbers: ["030 5550002"] } ]
                """)).clients().get(0);
        assertThat(c.instructions()).isNull();
        assertThat(c.contacts().get(0).note()).isNull();
    }

    @Test
    void blankOrOverlongNotesAreProblemsNamingFieldAndLine() {
        List<BookProblem> ps = problems(oneClient("""
                    instructions: "   "
                    contacts:
                      - { name: A, numbers: ["030 5550002"], note: "%s" }
                      - { name: B, numbers: ["030 5550003"], note: [a, b] }
                """.formatted("x".repeat(Contact.MAX_NOTE + 1))));
        assertThat(ps).extracting(BookProblem::field)
                .containsExactlyInAnyOrder("instructions", "contacts[0].note", "contacts[1].note");
        assertThat(ps).filteredOn(p -> p.field().equals("instructions")).singleElement()
                .satisfies(p -> assertThat(p.why()).contains("(line 6)"));
        assertThat(ps).filteredOn(p -> p.field().equals("contacts[0].note")).singleElement()
                .satisfies(p -> assertThat(p.why()).contains("1 to " + Contact.MAX_NOTE).contains("(line 8)"));
    }

    @Test
    void exportWritesThemAndReadsBackEqual() {
        Book b = load(WITH_NOTES);
        String yaml = BookWriter.write(b);
        assertThat(yaml).contains("    instructions: \"Patienten mit Schmerzen immer durchstellen\"\n")
                .contains("class: normal, note: \"Familie – keine Daten aufnehmen\" }");
        assertThat(load(yaml)).isEqualTo(b);
    }

    @Test
    void theSnapshotKeepsThem() throws Exception {
        Book b = load(WITH_NOTES);
        assertThat(BookSnapshot.decode(BookSnapshot.encode(b))).isEqualTo(b);
    }

    @Test
    void theDemoBookHasThem() {
        Book demo = load(Books.demoText());
        Client mueller = demo.clients().get(0);
        assertThat(mueller.instructions()).contains("Schmerzen");
        assertThat(mueller.contacts()).anySatisfy(k -> assertThat(k.note()).isEqualTo("Familie – keine Daten aufnehmen"));
    }
}
