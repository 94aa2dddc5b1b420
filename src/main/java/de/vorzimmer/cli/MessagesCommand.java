package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.store.Database;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vorzimmer messages}: lists messages newest first, as a table or JSON. */
@Command(name = "messages", description = "List messages, newest first.")
final class MessagesCommand extends StoreCommand {
    /** Times in the client's own zone, named after each time (e.g. {@code 2026-11-30 09:00 Europe/Berlin}). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm VV");
    private static final int TEXT_WIDTH = 60;

    @Option(names = "--client", paramLabel = "ID", description = "Only this client's messages.")
    String clientId;

    @Option(names = "--state", paramLabel = "STATE", description = "Only messages in this state: new, notified, read, done.")
    String state;

    @Option(names = "--urgent", paramLabel = "BOOL", description = "true: only urgent messages; false: only the others.")
    Boolean urgent;

    @Option(names = "--since", paramLabel = "INSTANT", description = "Only messages created at or after it (ISO, e.g. 2026-11-30T08:00:00Z).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "A JSON array, one message object per line.")
    boolean json;

    private MessageFilter filter;

    @Override
    void prepare() {
        MessageFilter f;
        try {
            f = MessageFilter.all().limit(limit);
            if (state != null) f = f.inState(MessageState.parse(state));
            if (urgent != null) f = f.urgentOnly(urgent);
            if (since != null) f = f.since(TimeArgs.utc("--since", since));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        filter = clientId == null ? f : f.forClient(clientId);
    }

    @Override
    Integer withoutDatabase() {
        print(List.of(), Optional.empty());
        return Main.OK;
    }

    @Override
    Integer run(Database database) {
        Optional<Book> book = bookChecking(database, clientId);
        print(new MessageStore(database).list(filter), book);
        return Main.OK;
    }

    private void print(List<Message> messages, Optional<Book> book) {
        PrintWriter out = out();
        if (json) {
            printJsonArray(out, messages.stream().map(m -> m.toJson().encode()).toList());
        } else if (messages.isEmpty()) {
            out.println("no messages");
        } else {
            Function<String, ZoneId> zones = zones(book);
            String format = "%-6s %-30s %-14s %-9s %-8s %-6s %-30s %s%n";
            out.printf(format, "ID", "TIME", "CLIENT", "KIND", "STATE", "URGENT", "FROM", "TEXT");
            for (Message m : messages) {
                out.printf(format, m.id(), TIME.format(m.createdAt().atZone(zones.apply(m.clientId()))),
                        m.clientId() == null ? "-" : m.clientId(), m.kind().word(), m.state().word(),
                        m.urgent() ? "yes" : "", caller(m), text(m));
            }
        }
        out.flush();
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
