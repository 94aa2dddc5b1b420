package de.vorzimmer.cli;


import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.store.Database;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vorzimmer messages}: lists messages newest first, as a table or JSON. */
@Command(name = "messages", description = "List messages, newest first.")
final class MessagesCommand extends ListCommand<Message> {
    /** Times in the client's own zone, named after each time (e.g. {@code 2026-11-30 09:00 Europe/Berlin}). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm VV");
    private static final int TEXT_WIDTH = 60;

    @Option(names = "--state", paramLabel = "STATE", description = "Only messages in this state: new, notified, read, done.")
    String state;

    @Option(names = "--urgent", paramLabel = "BOOL", description = "true: only urgent messages; false: only the others.")
    Boolean urgent;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    private MessageFilter filter;

    @Override
    void prepare() {
        MessageFilter f;
        try {
            f = MessageFilter.all().limit(limit);
            if (state != null) f = f.inState(MessageState.parse(state));
            if (urgent != null) f = f.urgentOnly(urgent);
            if (since != null) f = f.since(sinceInstant());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        filter = clientId == null ? f : f.forClient(clientId);
    }

    @Override
    String nothing() {
        return "no messages";
    }

    @Override
    List<Message> find(Database database) {
        return new MessageStore(database).list(filter);
    }

    @Override
    String json(Message m) {
        return m.toJson().encode();
    }

    @Override
    String format() {
        return "%-6s %-30s %-14s %-9s %-8s %-6s %-30s %s%n";
    }

    @Override
    Object[] header() {
        return new Object[] {"ID", "TIME", "CLIENT", "KIND", "STATE", "URGENT", "FROM", "TEXT"};
    }

    @Override
    Object[] cells(Message m, Function<String, ZoneId> zones) {
        return new Object[] {m.id(), TIME.format(m.createdAt().atZone(zones.apply(m.clientId()))),
                m.clientId() == null ? "-" : m.clientId(), m.kind().word(), m.state().word(),
                m.urgent() ? "yes" : "", caller(m), text(m)};
    }

    private static String caller(Message m) {
        String number = m.callerNumber() == null || m.callerNumber().isEmpty() ? "anonymous" : m.callerNumber();
        // the caller's name may be what the network or the caller sent: never raw to the terminal
        return Main.oneLine(m.callerName() == null || m.callerName().isBlank() ? number : m.callerName() + " " + number);
    }

    private static String text(Message m) {
        String t = m.text() != null && !m.text().isBlank() ? Main.oneLine(m.text())
                : m.recordingPath() != null ? "[recording " + Main.oneLine(m.recordingPath()) + "]" : "";
        return t.length() > TEXT_WIDTH ? t.substring(0, TEXT_WIDTH - 1) + "…" : t;
    }
}
