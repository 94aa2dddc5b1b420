package de.vorzimmer.asterisk;

import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallTag;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.Call;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import de.vorzimmer.asterisk.agi.AgiCall;
import de.vorzimmer.asterisk.agi.AgiReply;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.LogThrottle;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code route} script: reads the call from the AGI environment, asks the routing core and
 * hands the decision back as channel variables, all in one {@code EXEC MSet} round trip (see
 * {@link AgiVariables}) that also carries {@code AJ_AGISTATUS=SUCCESS} ({@link AgiStatus}). The dialplan dials and
 * records by itself, so the connection lasts milliseconds. Runs on the event loop: the routing core is pure and the
 * call log is written by its own writer thread.
 *
 * <p>On bad input it sets nothing and returns: with {@code VZ_ACTION} unset the dialplan takes its
 * fallback path (ring the secretaries, then record).
 */
public final class RouteScript implements FastAgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(RouteScript.class);
    /** Ring times the dialplan uses when the variables are not set (asterisk-config/extensions_vorzimmer.conf). */
    static final int DIALPLAN_RING_PUT_THROUGH = 20;
    static final int DIALPLAN_RING_SCREEN = 25;
    /** What res_agi answers to {@code EXEC} of an application it does not know. */
    private static final int APPLICATION_NOT_FOUND = -2;
    /** A malformed request is the peer's fault: one line per 10 s at most, whatever the rate of such requests. */
    private static final LogThrottle REJECTED = new LogThrottle(LOG, 10, TimeUnit.SECONDS);
    /** A sound folder's name as {@link #asteriskLanguage} accepts it; compiled once, it is checked on every call. */
    private static final Pattern SOUND_FOLDER = Pattern.compile("[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})?");

    private final LiveRouting routing;
    private final DecisionLog log;
    private final DialStrings dial;
    private final Consumer<CallDecision> decided;
    private final GreetingSounds greetings;

    /** @param decided where each decision goes as it is made (published for the call's live state); must not block */
    public RouteScript(LiveRouting routing, DecisionLog log, DialStrings dial, Consumer<CallDecision> decided) {
        this(routing, log, dial, decided, GreetingSounds.none());
    }

    /** @param greetings the clients' greetings as sounds for the message stage ({@code VZ_GREETING_SOUND}) */
    public RouteScript(LiveRouting routing, DecisionLog log, DialStrings dial, Consumer<CallDecision> decided,
                       GreetingSounds greetings) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.dial = Objects.requireNonNull(dial, "dial == null");
        this.decided = Objects.requireNonNull(decided, "decided == null");
        this.greetings = Objects.requireNonNull(greetings, "greetings == null");
    }

    /**
     * The decision as channel variables in the order they are set. Only what differs from the dialplan's
     * reset values (empty, {@code VZ_URGENT=0}, ring times 20/25 s) is included; {@code VZ_ACTION} is last,
     * because the dialplan treats a set {@code VZ_ACTION} as "the decision is complete".
     */
    public Map<String, String> variables(Decision d, Defaults defaults) {
        return variables(d, defaults, null, null);
    }

    /**
     * As {@link #variables(Decision, Defaults)}, with the prompts' language ({@code VZ_LANGUAGE}, the client's or the
     * book's default language as Asterisk names sound folders) and the greeting's sound ({@code VZ_GREETING_SOUND})
     * when given.
     */
    public Map<String, String> variables(Decision d, Defaults defaults, String language, String greetingSound) {
        Map<String, String> vars = new LinkedHashMap<>(16);
        if (d.client() != null) vars.put("VZ_CLIENT", d.client());
        // the line as routing read it (E.164), for the live call state; the dialplan has it only as delivered
        if (d.line() != null && !d.line().isEmpty()) vars.put("VZ_LINE", AgiText.safe(d.line()));
        vars.put("VZ_DISPLAY", AgiText.safe(d.display()));
        if (d.greeting() != null) vars.put("VZ_GREETING", AgiText.safe(d.greeting()));
        String soundFolder = asteriskLanguage(language);
        if (soundFolder != null) vars.put("VZ_LANGUAGE", soundFolder);
        if (greetingSound != null) vars.put("VZ_GREETING_SOUND", AgiText.safe(greetingSound));
        if (d.urgent()) vars.put("VZ_URGENT", "1");
        List<String> targets = dial.targets(d);
        if (!targets.isEmpty()) vars.put("VZ_TARGETS", String.join("&", targets));
        if (d.action() == Action.PUT_THROUGH) {
            List<String> fallback = dial.secretaries(d.screenTarget());
            if (!fallback.isEmpty()) vars.put("VZ_FALLBACK_TARGETS", String.join("&", fallback));
            if (defaults.ringPutThrough() != DIALPLAN_RING_PUT_THROUGH) {
                vars.put("VZ_RING_PUT_THROUGH", Integer.toString(defaults.ringPutThrough()));
            }
        }
        if (defaults.ringScreen() != DIALPLAN_RING_SCREEN) {
            vars.put("VZ_RING_SCREEN", Integer.toString(defaults.ringScreen()));
        }
        vars.put("VZ_ACTION", d.action().word());
        return vars;
    }

    /**
     * A book language as Asterisk names its sound folders: {@code de}, {@code en}, {@code pt-BR} as {@code pt_BR};
     * null for nothing usable.
     */
    static String asteriskLanguage(String language) {
        if (language == null) return null;
        String l = language.strip().replace('-', '_');
        return SOUND_FOLDER.matcher(l).matches() ? l : null;
    }

    @Override
    public Future<Void> run(AgiCall agi) {
        String uniqueId = agi.uniqueId();
        Call call;
        Instant now;
        LiveRouting.Routed routed;
        Map<String, String> variables;
        MDC.put(CallTag.MDC_KEY, uniqueId == null ? "-" : AgiCalls.clip(uniqueId));
        try {
            try {
                call = AgiCalls.toCall(agi.environment(), agi.arguments());
            } catch (AgiInputException e) {
                REJECTED.warn("rejected", "route: rejected AGI request from {}: {}; dialplan falls back",
                        agi.remoteAddress(), e.getMessage());
                return Future.succeededFuture();
            }
            now = routing.now();
            // the decision, the ring times and the client's language from one snapshot
            routed = routing.route(call, now);
            Decision d = routed.decision();
            Defaults defaults = routed.snapshot().book().book().defaults();
            BookIndex.ClientEntry entry = d.client() == null ? null : routed.snapshot().book().client(d.client());
            Client client = entry == null ? null : entry.client();
            String language = client != null ? client.language() : defaults.language();
            variables = variables(d, defaults, language, greetings.sound(client, language));
        } finally {
            MDC.remove(CallTag.MDC_KEY);
        }
        // One round trip for the whole call: the decision (see AgiVariables) and Asterisk-Java's status variable,
        // which dialplans written for its FastAGI server may read, in one MSet, VZ_ACTION last.
        Map<String, String> withStatus = AgiStatus.withSuccess(variables);
        return agi.send(AgiVariables.msetCommand(withStatus)).compose(reply -> {
            if (reply.resultCode() != APPLICATION_NOT_FOUND) return Future.succeededFuture();
            REJECTED.warn("no-mset", "route: the PBX has no MSet application; setting {} variables one by one",
                    withStatus.size());
            Future<AgiReply> each = Future.succeededFuture();
            for (Map.Entry<String, String> v : withStatus.entrySet()) {
                each = each.compose(r -> agi.send(new SetVariableCommand(v.getKey(), v.getValue())));
            }
            return each.mapEmpty();
        }).map(v -> {
            // the decision's log line is written with its call-log row, off the call path
            Decision d = routed.decision();
            log.recordWithLogLine(uniqueId, agi.channel(), now, d);
            if (uniqueId != null) decided.accept(CallDecision.of(uniqueId, d, routed.snapshot().book().version()));
            return null;
        });
    }
}
