package de.vorzimmer.book;

import static de.vorzimmer.book.Books.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each book problem carries a stable code (which the console words in its language) and the line it is on. */
class BookProblemCodesTest {
    @Test
    void problemsNameTheirKindAndLine() {
        List<BookProblem> ps = problems("""
                version: 1
                clients:
                  - id: mueller
                    name: Müller
                    lines: ["030 1234567"]
                    colour: blue
                    hours:
                      - { days: mon-fri, from: "25:00", to: "12:00" }
                    contacts:
                      - { name: Labor, numbers: ["not a number"], class: friend }
                  - id: berg
                    lines: ["030 1234567"]
                """);
        assertThat(ps).extracting(BookProblem::code, BookProblem::line, BookProblem::field).containsExactlyInAnyOrder(
                tuple("key-unknown", 6, "colour"),
                tuple("time-invalid", 8, "hours[0].from"),
                tuple("number-unreadable", 3, "contacts[0].numbers[0]"),
                tuple("class-invalid", 3, "contacts[0].class"),
                tuple("required", 11, "name"),
                tuple("line-taken", 11, "lines[0]"));
    }

    @Test
    void aSyntaxErrorPointsAtItsLine() {
        BookProblem p = problems("version: 1\nclients:\n  - id: x\n    name: [unclosed\n").get(0);
        assertThat(p.code()).isEqualTo("yaml-syntax");
        assertThat(p.line()).isPositive();
        assertThat(p.why()).contains("line " + p.line());
    }
}
