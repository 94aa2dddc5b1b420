package de.vorzimmer.book;

import java.util.List;

/**
 * A client book was rejected whole. {@link #problems()} lists every problem found, in book order; the message
 * is their count followed by one line each.
 */
public final class BookException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<BookProblem> problems;

    public BookException(List<BookProblem> problems) {
        super(message(problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a BookException needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public List<BookProblem> problems() {
        return problems;
    }

    private static String message(List<BookProblem> problems) {
        StringBuilder sb = new StringBuilder(64 * (problems.size() + 1));
        sb.append("client book rejected, ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (BookProblem p : problems) sb.append("\n  ").append(p);
        return sb.toString();
    }
}
