package de.vorzimmer.asterisk;

import de.vorzimmer.calls.CallTag;
import de.vorzimmer.escalation.CallOutcome;
import de.vorzimmer.escalation.CallScript;
import de.vorzimmer.escalation.Escalations;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code callout} script ({@code AGI(agi://HOST/callout)} in context {@code vorzimmer-callout}): reads an
 * urgent message to the person an escalation called (who, when, then the recording or the typed text, spoken with
 * {@link Speech}) and takes one key: 1 confirms the message, 2 reads it again. Whatever else happens (no key,
 * another key three times, a hang-up) the call ends unconfirmed and the chain moves on to the next person. The step
 * comes in the channel variable {@code VZ_CALLOUT} that the Originate set.
 */
public final class CallOutScript implements AgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(CallOutScript.class);
    static final int READINGS = 3;
    static final long KEY_WAIT_MILLIS = 6_000;

    private final Escalations escalations;
    private final Speech speech;
    private final Clock clock;

    public CallOutScript(Escalations escalations, Speech speech, Clock clock) {
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
        this.speech = Objects.requireNonNull(speech, "speech == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        String stepText = channel.getVariable("VZ_CALLOUT");
        if (stepText == null || !stepText.matches("[0-9]{1,18}")) {
            LOG.warn("call-out script without a usable VZ_CALLOUT ('{}')", stepText == null ? "" : AgiCalls.clip(stepText));
            return;
        }
        long step = Long.parseLong(stepText);
        MDC.put(CallTag.MDC_KEY, request.getUniqueId() == null ? "callout-" + step : AgiCalls.clip(request.getUniqueId()));
        boolean confirmed = false;
        try {
            Optional<CallScript> script = escalations.script(step);
            if (script.isEmpty()) {
                LOG.warn("call-out {}: no such step", step);
                return;
            }
            CallScript s = script.get();
            channel.setVariable("CHANNEL(language)", s.language());
            for (int i = 0; i < READINGS && !confirmed; i++) {
                char key = read(channel, s);
                if (key == 0) key = channel.waitForDigit((int) KEY_WAIT_MILLIS);
                if (key == '1') {
                    confirmed = escalations.confirmByCall(step, clock.instant());
                    LOG.info("call-out {}: message {} confirmed with 1", step, s.messageId());
                    say(channel, s.confirmed(), s.language(), "");
                } else if (key == 0) {
                    break; // nothing pressed: the message was heard, not confirmed
                }
            }
            if (!confirmed) {
                say(channel, s.goodbye(), s.language(), "");
                escalations.callEnded(step, CallOutcome.ANSWERED, clock.instant());
            }
        } catch (AgiHangupException e) {
            if (!confirmed) escalations.callEnded(step, CallOutcome.ANSWERED, clock.instant());
            LOG.info("call-out {}: the person hung up{}", step, confirmed ? " after confirming" : "");
        } finally {
            MDC.remove(CallTag.MDC_KEY);
        }
    }

    /** The message once; returns the key pressed while it played (1 or 2), or 0. */
    private char read(AgiChannel channel, CallScript s) throws AgiException {
        char key = say(channel, s.intro(), s.language(), "12");
        if (key != 0) return key;
        if (s.recording() != null && !s.recording().startsWith("http")) {
            String file = s.recording().endsWith(".wav") ? s.recording().substring(0, s.recording().length() - 4)
                    : s.recording();
            key = channel.streamFile(file, "12");
        } else if (s.text() != null) {
            key = say(channel, s.text(), s.language(), "12");
        }
        if (key != 0) return key;
        return say(channel, s.choice(), s.language(), "12");
    }

    private char say(AgiChannel channel, String text, String language, String escape) throws AgiException {
        Optional<String> file = speech.speak(text, language);
        if (file.isEmpty()) return 0;
        return channel.streamFile(file.get(), escape);
    }
}
