package de.vorzimmer.cli;

/** Input from the command line that cannot be used: printed as one line on stderr, exit code 2. */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }
}
