package de.vorzimmer.messages;

/** A message that cannot be taken as given; the message names the field and what was expected. */
public final class MessageRejected extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public MessageRejected(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
