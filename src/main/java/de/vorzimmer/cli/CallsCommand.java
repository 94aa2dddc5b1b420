package de.vorzimmer.cli;


import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.store.Database;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vorzimmer calls}: the call log, newest first: what the server decided for each call it routed (and, with
 * {@code --json}, why: the decision as {@code route} prints it).
 */
@Command(name = "calls", description = "List the routing decisions of past calls (the call log), newest first;"
        + " with --json each with its full decision.")
final class CallsCommand extends ListCommand<CallLogEntry> {
    /** Times in the client's own zone, named after each time (e.g. {@code 2026-11-30 09:00 Europe/Berlin}). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss VV");

    @Option(names = "--call", paramLabel = "CALL_ID", description = "Only this call (Asterisk unique id or Twilio CallSid).")
    String callId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void prepare() {
        if (limit < 1 || limit > 100_000) throw new BadInputException("--limit " + limit + " is not between 1 and 100000");
        if (callId != null && (callId.isBlank() || callId.length() > 200)) {
            throw new BadInputException("--call must be 1 to 200 characters");
        }
        sinceInstant(); // a bad --since is refused before the store is opened
    }

    @Override
    String nothing() {
        return "no calls";
    }

    @Override
    List<CallLogEntry> find(Database database) {
        return new CallLogStore(database).find(clientId, callId, sinceInstant(), limit);
    }

    @Override
    String format() {
        return "%-33s %-14s %-16s %-22s %-11s %-12s %-6s %s%n";
    }

    @Override
    Object[] header() {
        return new Object[] {"TIME", "CLIENT", "LINE", "CALLER", "CLASS", "ACTION", "URGENT", "CALL"};
    }

    @Override
    Object[] cells(CallLogEntry e, Function<String, ZoneId> zones) {
        return new Object[] {TIME.format(e.at().atZone(zones.apply(e.clientId()))), e.clientId() == null ? "-" : e.clientId(),
                dash(e.line()), e.callerNumber() == null || e.callerNumber().isEmpty() ? "anonymous"
                        : Main.oneLine(e.callerNumber()), dash(e.callerClass()), e.action(), e.urgent() ? "yes" : "",
                e.callId() == null ? "-" : Main.oneLine(e.callId()) + " (" + e.channel() + ")"};
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : Main.oneLine(s);
    }

    @Override
    String json(CallLogEntry e) {
        JsonObject o = new JsonObject().put("id", e.id()).put("at", e.at().toString()).put("call_id", e.callId())
                .put("channel", e.channel()).put("client", e.clientId()).put("line", e.line())
                .put("caller_number", e.callerNumber()).put("caller_class", e.callerClass()).put("status", e.status())
                .put("action", e.action()).put("urgent", e.urgent());
        Object decision;
        try {
            decision = new JsonObject(e.decisionJson());
        } catch (RuntimeException bad) {
            decision = e.decisionJson(); // written by this server, so never expected; shown as text rather than lost
        }
        return o.put("decision", decision).encode();
    }
}
