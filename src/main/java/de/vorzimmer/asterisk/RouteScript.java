package de.vorzimmer.asterisk;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.Call;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code route} script: reads the call from the AGI environment, asks the routing core and
 * hands the decision back as channel variables. The dialplan dials and records by itself, so the
 * connection lasts only as long as a few {@code SET VARIABLE} round trips.
 *
 * <p>On bad input it sets nothing and returns: with {@code VZ_ACTION} unset the dialplan takes its
 * fallback path (ring the secretaries, then record).
 */
public final class RouteScript implements AgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(RouteScript.class);

    private final LiveRouting routing;
    private final DecisionLog log;
    private final DialStrings dial;

    public RouteScript(LiveRouting routing, DecisionLog log, DialStrings dial) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.dial = Objects.requireNonNull(dial, "dial == null");
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        String uniqueId = request.getUniqueId();
        MDC.put("callId", uniqueId == null ? "-" : AgiCalls.clip(uniqueId));
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
            Decision d = routing.decide(call, now);
            Defaults defaults = routing.snapshot().book().book().defaults();
            List<String> targets = dial.targets(d);
            channel.setVariable("VZ_CLIENT", d.client() == null ? "" : d.client());
            channel.setVariable("VZ_DISPLAY", AgiText.safe(d.display()));
            channel.setVariable("VZ_GREETING", AgiText.safe(d.greeting() == null ? "" : d.greeting()));
            channel.setVariable("VZ_URGENT", d.urgent() ? "1" : "0");
            channel.setVariable("VZ_TARGETS", String.join("&", targets));
            if (d.action() == Action.PUT_THROUGH) {
                channel.setVariable("VZ_FALLBACK_TARGETS", String.join("&", dial.secretaries(d.screenTarget())));
            }
            if (d.action() == Action.PUT_THROUGH) {
                channel.setVariable("VZ_RING_PUT_THROUGH", Integer.toString(defaults.ringPutThrough()));
            }
            channel.setVariable("VZ_RING_SCREEN", Integer.toString(defaults.ringScreen()));
            // set last: the dialplan treats a set VZ_ACTION as "the decision is complete"
            channel.setVariable("VZ_ACTION", d.action().word());
            log.record(uniqueId, request.getChannel(), now, d);
            LOG.info("route: {} -> {} {} client={} caller={} ({})", call.from(), call.to(), d.action().word(),
                    d.client(), d.caller().number(), d.caller().callerClass().word());
        } finally {
            MDC.remove("callId");
        }
    }
}
