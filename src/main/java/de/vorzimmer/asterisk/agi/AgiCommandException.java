package de.vorzimmer.asterisk.agi;

/** Asterisk refused a command (status 510 or 520): a fault in the command we built, named with Asterisk's answer. */
public final class AgiCommandException extends RuntimeException {
    private final AgiReply reply;

    public AgiCommandException(String command, AgiReply reply) {
        super("Asterisk refused '" + command + "': " + reply.firstLine());
        this.reply = reply;
    }

    public AgiReply reply() {
        return reply;
    }
}
