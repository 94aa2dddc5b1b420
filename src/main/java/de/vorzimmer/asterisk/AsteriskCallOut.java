package de.vorzimmer.asterisk;

import de.vorzimmer.escalation.CallOut;
import de.vorzimmer.escalation.CallOutcome;
import de.vorzimmer.escalation.Escalations;
import de.vorzimmer.notify.SendFailure;
import java.time.Clock;
import java.util.Objects;

/**
 * Places escalation call-outs on Asterisk: AMI Originate of {@code Local/NUMBER@vorzimmer-reach} (the operator's
 * trunk), answered calls continue in {@code vorzimmer-callout}, where the {@code callout} FastAGI script
 * ({@link CallOutScript}) reads the message and takes the key. A call never answered is reported here from the
 * Originate's response. Asterisk cannot be asked afterwards whether an Originate was placed, so after a stop
 * mid-request the outbox places the call again (the one window, as for SMS; see docs/messages.md).
 */
public final class AsteriskCallOut implements CallOut {
    private final AsteriskLive asterisk;
    private final Escalations escalations;
    private final Clock clock;

    public AsteriskCallOut(AsteriskLive asterisk, Escalations escalations, Clock clock) {
        this.asterisk = Objects.requireNonNull(asterisk, "asterisk == null");
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public String place(Order order) throws SendFailure {
        AmiService ami = asterisk.ami();
        if (ami == null) throw new SendFailure(false, "AMI is not configured (ami.host)", null);
        try {
            return ami.originateCallOut(order.to(), order.step(), order.ringSeconds(),
                    outcome -> escalations.callEnded(order.step(), outcome(outcome), clock.instant()));
        } catch (CallbackException e) {
            throw new SendFailure(false, e.getMessage(), e);
        }
    }

    static CallOutcome outcome(String word) {
        return switch (word) {
            case "busy" -> CallOutcome.BUSY;
            case "no-answer", "hangup" -> CallOutcome.NO_ANSWER;
            default -> CallOutcome.FAILED;
        };
    }
}
