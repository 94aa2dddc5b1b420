package de.vorzimmer.asterisk;


import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallTag;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.Defaults;
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
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code route} script: reads the call from the AGI environment, asks the routing core and
 * hands the decision back as channel variables, all in one {@code EXEC MSet} round trip (see
 * {@link AgiVariables}) that also carries Asterisk-Java's {@code AJ_AGISTATUS} ({@link AgiStatus}). The
 * dialplan dials and records by itself, so the connection lasts milliseconds.
 *
 * <p>On bad input it sets nothing and returns: with {@code VZ_ACTION} unset the dialplan takes its
 * fallback path (ring the secretaries, then record).
 */
public final class RouteScript implements AgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(RouteScript.class);
    /** Ring times the dialplan uses when the variables are not set (asterisk-config/extensions_vorzimmer.conf). */
    static final int DIALPLAN_RING_PUT_THROUGH = 20;
    static final int DIALPLAN_RING_SCREEN = 25;
    /** What res_agi answers to {@code EXEC} of an application it does not know. */
    private static final int APPLICATION_NOT_FOUND = -2;

    private final LiveRouting routing;
    private final DecisionLog log;
    private final DialStrings dial;
    private final Consumer<CallDecision> decided;

    /** @param decided where each decision goes as it is made (published for the call's live state); must not block */
    public RouteScript(LiveRouting routing, DecisionLog log, DialStrings dial, Consumer<CallDecision> decided) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.dial = Objects.requireNonNull(dial, "dial == null");
        this.decided = Objects.requireNonNull(decided, "decided == null");
    }

    /**
     * The decision as channel variables in the order they are set. Only what differs from the dialplan's
     * reset values (empty, {@code VZ_URGENT=0}, ring times 20/25 s) is included; {@code VZ_ACTION} is last,
     * because the dialplan treats a set {@code VZ_ACTION} as "the decision is complete".
     */
    public Map<String, String> variables(Decision d, Defaults defaults) {
        Map<String, String> vars = new LinkedHashMap<>(16);
        if (d.client() != null) vars.put("VZ_CLIENT", d.client());
        vars.put("VZ_DISPLAY", AgiText.safe(d.display()));
        if (d.greeting() != null) vars.put("VZ_GREETING", AgiText.safe(d.greeting()));
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

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        String uniqueId = request.getUniqueId();
        MDC.put(CallTag.MDC_KEY, uniqueId == null ? "-" : AgiCalls.clip(uniqueId));
        try {
            Call call;
            try {
                call = AgiCalls.toCall(request.getRequest(), request.getArguments());
            } catch (AgiInputException e) {
                LOG.warn("route: rejected AGI request from {}: {}; dialplan falls back", request.getRemoteAddress(),
                        e.getMessage());
                return;
            }
            Instant now = routing.now();
            LiveRouting.Routed routed = routing.route(call, now);
            Decision d = routed.decision();
            Map<String, String> variables = variables(d, routed.snapshot().book().book().defaults());
            // One round trip for the whole call: the decision (see AgiVariables) and Asterisk-Java's status
            // variable in one MSet, VZ_ACTION last; the status is then not sent again (AgiStatus).
            Map<String, String> withStatus = AgiStatus.withSuccess(variables);
            int result = channel.sendCommand(AgiVariables.msetCommand(withStatus)).getResultCode();
            if (result == APPLICATION_NOT_FOUND) {
                LOG.warn("route: the PBX has no MSet application; setting {} variables one by one", variables.size());
                for (Map.Entry<String, String> v : variables.entrySet()) channel.setVariable(v.getKey(), v.getValue());
            } else {
                AgiStatus.alreadySet(channel, AgiStatus.SUCCESS);
            }
            // the decision's log line is written with its call-log row, off the call path
            log.recordWithLogLine(uniqueId, request.getChannel(), now, d);
            if (uniqueId != null) decided.accept(CallDecision.of(uniqueId, d, routed.snapshot().book().version()));
        } finally {
            MDC.remove(CallTag.MDC_KEY);
        }
    }
}
