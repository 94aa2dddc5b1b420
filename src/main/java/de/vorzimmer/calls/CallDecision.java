package de.vorzimmer.calls;

import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the routing core decided for one call, carried with the call from the moment it was made: the PBX adapter that
 * decided publishes it on {@link #ADDRESS}, the live call state ({@link CallUpdate}) and the console take it from
 * there, so nothing decides the same call a second time. Also readable from the call log's decision JSON.
 *
 * @param callId        the Asterisk unique id or the Twilio CallSid
 * @param client        client id, or null (a call to no known line)
 * @param callerNumber  the caller in E.164, empty when anonymous
 * @param callerClass   the caller class word ({@code vip}, {@code known}, {@code unknown}, ...)
 * @param contact       the book contact's name, or null
 * @param then          the fallbacks in order ({@code screen}, {@code message}): what follows when the action fails
 * @param bookVersion   the stored book version the decision was made on (0: a book that was not stored)
 */
public record CallDecision(String callId, String client, String line, String callerNumber, String callerClass,
                           String contact, String action, List<String> then, boolean urgent, String display,
                           String greeting, List<String> why, long bookVersion) {
    /** Event-bus address of decisions as they are made (publish, JSON object). */
    public static final String ADDRESS = "vorzimmer.calls.decided";

    public CallDecision {
        Objects.requireNonNull(callId, "callId == null");
        Objects.requireNonNull(action, "action == null");
        callerNumber = callerNumber == null ? "" : callerNumber;
        why = List.copyOf(why);
        then = List.copyOf(then);
    }

    public static CallDecision of(String callId, Decision d, long bookVersion) {
        return new CallDecision(callId, d.client(), d.line(), d.caller().number(), d.caller().callerClass().word(),
                d.caller().contact(), d.action().word(), d.then().stream().map(a -> a.word()).toList(), d.urgent(),
                d.display(), d.greeting(), d.why(), bookVersion);
    }

    public JsonObject toJson() {
        return new JsonObject().put("callId", callId).put("client", client).put("line", line)
                .put("callerNumber", callerNumber).put("callerClass", callerClass).put("contact", contact)
                .put("action", action).put("then", new JsonArray(then)).put("urgent", urgent).put("display", display).put("greeting", greeting)
                .put("why", new JsonArray(why)).put("bookVersion", bookVersion);
    }

    /**
     * {@link #toJson} as text, the same fields in the same order, written by hand: the Twilio call row stores it for
     * every call, on the writer thread that every voice webhook waits for, and a {@link JsonObject} encoded by Jackson
     * made a map, a generator and their garbage per call (half of that thread's Java time, a few µs per row).
     */
    public String encode() {
        StringBuilder sb = new StringBuilder(512);
        field(sb, "{\"callId\":", callId);
        field(sb, ",\"client\":", client);
        field(sb, ",\"line\":", line);
        field(sb, ",\"callerNumber\":", callerNumber);
        field(sb, ",\"callerClass\":", callerClass);
        field(sb, ",\"contact\":", contact);
        field(sb, ",\"action\":", action);
        strings(sb, ",\"then\":", then);
        sb.append(",\"urgent\":").append(urgent);
        field(sb, ",\"display\":", display);
        field(sb, ",\"greeting\":", greeting);
        strings(sb, ",\"why\":", why);
        return sb.append(",\"bookVersion\":").append(bookVersion).append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(name);
        DecisionJson.string(sb, value);
    }

    private static void strings(StringBuilder sb, String name, List<String> values) {
        sb.append(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            DecisionJson.string(sb, values.get(i));
        }
        sb.append(']');
    }

    /**
     * Reads what {@link #toJson} or {@link #encode} wrote.
     *
     * @throws IllegalArgumentException naming the field when {@code o} is not such an object
     */
    public static CallDecision fromJson(JsonObject o) {
        try {
            return new CallDecision(required(o, "callId"), o.getString("client"), o.getString("line"),
                    o.getString("callerNumber"), o.getString("callerClass"), o.getString("contact"),
                    required(o, "action"), strings(o.getJsonArray("then")), o.getBoolean("urgent", false), o.getString("display"),
                    o.getString("greeting"), strings(o.getJsonArray("why")), o.getLong("bookVersion", 0L));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("call decision: a field has the wrong type: " + e.getMessage(), e);
        }
    }

    /** The decision of call {@code callId} from the decision JSON the call log keeps (see {@code DecisionJson}). */
    public static CallDecision fromDecisionJson(String callId, JsonObject d, long bookVersion) {
        JsonObject caller = d.getJsonObject("caller", new JsonObject());
        return new CallDecision(callId, d.getString("client"), d.getString("line"), caller.getString("number"),
                caller.getString("class"), caller.getString("contact"), d.getString("action"),
                strings(d.getJsonArray("then")), d.getBoolean("urgent", false), d.getString("display"), d.getString("greeting"),
                strings(d.getJsonArray("why")), bookVersion);
    }

    private static String required(JsonObject o, String field) {
        String v = o.getString(field);
        if (v == null) throw new IllegalArgumentException("call decision: field '" + field + "' is missing");
        return v;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        if (a != null) for (Object x : a) out.add(String.valueOf(x));
        return out;
    }
}
