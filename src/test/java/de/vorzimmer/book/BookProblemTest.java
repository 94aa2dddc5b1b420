package de.vorzimmer.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BookProblemTest {
    @Test
    void lineNamesWhereFieldValueAndWhy() {
        assertThat(new BookProblem("client 'mueller'", "hours[1].from", "25:00", "not a time HH:MM"))
                .hasToString("client 'mueller': hours[1].from = '25:00': not a time HH:MM");
    }

    @Test
    void missingValueLeftOut() {
        assertThat(new BookProblem("client 'mueller'", "name", null, "is required"))
                .hasToString("client 'mueller': name: is required");
    }

    @Test
    void wholeBookProblemHasNoField() {
        assertThat(new BookProblem("book", "", null, "YAML syntax error at line 4, column 28: x"))
                .hasToString("book: YAML syntax error at line 4, column 28: x");
    }

    @Test
    void multiLineValueShownOnOneLine() {
        assertThat(new BookProblem("defaults", "region", "D\nE", "no").toString()).isEqualTo(
                "defaults: region = 'D\\nE': no");
    }

    @Test
    void exceptionWithoutProblemsForbidden() {
        assertThrows(IllegalArgumentException.class, () -> new BookException(List.of()));
    }

    @Test
    void exceptionMessageSaysOneProblemInSingular() {
        BookException e = new BookException(List.of(new BookProblem("book", "version", "2", "unsupported")));

        assertThat(e.getMessage()).isEqualTo("client book rejected, 1 problem:\n  book: version = '2': unsupported");
    }
}
