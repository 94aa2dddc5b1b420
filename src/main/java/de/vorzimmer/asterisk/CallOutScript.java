package de.vorzimmer.asterisk;

import de.vorzimmer.asterisk.agi.AgiCall;
import de.vorzimmer.asterisk.agi.AgiHangupException;
import de.vorzimmer.asterisk.agi.AgiReply;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.calls.CallTag;
import de.vorzimmer.escalation.CallOutcome;
import de.vorzimmer.escalation.CallScript;
import de.vorzimmer.escalation.Escalations;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code callout} script ({@code AGI(agi://HOST/callout)} in context {@code vorzimmer-callout}): reads an
 * urgent message to the person an escalation called (who, when, then the recording or the typed text, spoken with
 * {@link Speech}) and takes one key: 1 confirms the message, 2 reads it again. Whatever else happens (no key,
 * another key three times, a hang-up) the call ends unconfirmed and the chain moves on to the next person. The step
 * comes in the channel variable {@code VZ_CALLOUT} that the Originate set.
 *
 * <p>Like {@code phonein}, the conversation runs on the connection's event loop, one command after the other; the
 * chain's store reads and writes and the rendering of speech run on a worker ({@link AgiCall#offLoop}).
 */
public final class CallOutScript implements FastAgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(CallOutScript.class);
    static final int READINGS = 3;
    static final int KEY_WAIT_MILLIS = 6_000;
    static final String STEP_VARIABLE = "VZ_CALLOUT";

    private final Escalations escalations;
    private final Speech speech;
    private final Clock clock;

    public CallOutScript(Escalations escalations, Speech speech, Clock clock) {
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
        this.speech = Objects.requireNonNull(speech, "speech == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public Future<Void> run(AgiCall agi) {
        String uniqueId = agi.uniqueId();
        return agi.send(new GetVariableCommand(STEP_VARIABLE)).compose(r -> {
            String stepText = r.resultCode() == 1 ? r.extra() : null;
            if (stepText == null || !stepText.matches("[0-9]{1,18}")) {
                LOG.warn("call-out script without a usable {} ('{}')", STEP_VARIABLE,
                        stepText == null ? "" : AgiCalls.clip(stepText));
                return Future.succeededFuture();
            }
            long step = Long.parseLong(stepText);
            String tag = uniqueId == null ? "callout-" + step : AgiCalls.clip(uniqueId);
            return new Reading(agi, step, tag).run();
        });
    }

    /** One call-out: the script of its step, read until a key decides or the readings run out. */
    private final class Reading {
        private final AgiCall agi;
        private final long step;
        private final String tag;
        private CallScript script;
        private boolean confirmed;

        Reading(AgiCall agi, long step, String tag) {
            this.agi = agi;
            this.step = step;
            this.tag = tag;
        }

        Future<Void> run() {
            return agi.offLoop(() -> tagged(() -> {
                Optional<CallScript> s = escalations.script(step);
                if (s.isEmpty()) LOG.warn("call-out {}: no such step", step);
                return s.orElse(null);
            })).compose(s -> {
                if (s == null) return Future.<Void>succeededFuture();
                script = s;
                return agi.send(new SetVariableCommand("CHANNEL(language)", s.language()))
                        .compose(v -> reading(0))
                        .compose(v -> confirmed ? Future.<Void>succeededFuture() : say(script.goodbye(), "")
                                .compose(k -> answeredUnconfirmed()));
            }).recover(this::ended);
        }

        /** Reading {@code i}: the message, then a key; 1 confirms, 2 (or another key) reads it again. */
        private Future<Void> reading(int i) {
            if (i == READINGS) return Future.succeededFuture();
            return read().compose(key -> key != 0 ? Future.succeededFuture(key)
                    : agi.play(new WaitForDigitCommand(KEY_WAIT_MILLIS)).map(r -> {
                        if (r.resultCode() < 0) throw new AgiHangupException("no key: " + r.firstLine());
                        return r.resultChar();
                    })).compose(key -> {
                        if (key == '1') {
                            return agi.offLoop(() -> tagged(() -> {
                                confirmed = escalations.confirmByCall(step, clock.instant());
                                LOG.info("call-out {}: message {} confirmed with 1", step, script.messageId());
                                return null;
                            })).compose(v -> say(script.confirmed(), "")).mapEmpty();
                        }
                        // nothing pressed: the message was heard, not confirmed
                        if (key == 0) return Future.succeededFuture();
                        return reading(i + 1);
                    });
        }

        /** The message once; the key pressed while it played (1 or 2), or 0. */
        private Future<Character> read() {
            CallScript s = script;
            return say(s.intro(), "12").compose(key -> {
                if (key != 0) return Future.succeededFuture(key);
                if (s.recording() != null && !s.recording().startsWith("http")) {
                    String file = s.recording().endsWith(".wav")
                            ? s.recording().substring(0, s.recording().length() - 4) : s.recording();
                    return stream(file, "12");
                }
                return s.text() != null ? say(s.text(), "12") : Future.succeededFuture((char) 0);
            }).compose(key -> key != 0 ? Future.succeededFuture(key) : say(s.choice(), "12"));
        }

        /** Speaks {@code text} in the script's language (rendered off the loop); nothing where speech is missing. */
        private Future<Character> say(String text, String escape) {
            return agi.offLoop(() -> speech.speak(text, script.language())).compose(file -> file.isEmpty()
                    ? Future.succeededFuture((char) 0) : stream(file.get(), escape));
        }

        private Future<Character> stream(String file, String escape) {
            return agi.play(new StreamFileCommand(file, escape)).compose((AgiReply r) -> {
                if (r.resultCode() < 0 && agi.hungUp()) return Future.failedFuture(new AgiHangupException("hung up"));
                return Future.succeededFuture(r.resultChar());
            });
        }

        private Future<Void> answeredUnconfirmed() {
            return agi.offLoop(() -> tagged(() -> escalations.callEnded(step, CallOutcome.ANSWERED, clock.instant())))
                    .mapEmpty();
        }

        private Future<Void> ended(Throwable e) {
            if (!(e instanceof AgiHangupException)) return Future.failedFuture(e);
            return agi.offLoop(() -> tagged(() -> {
                if (script != null && !confirmed) escalations.callEnded(step, CallOutcome.ANSWERED, clock.instant());
                LOG.info("call-out {}: the person hung up{}", step, confirmed ? " after confirming" : "");
                return null;
            })).mapEmpty();
        }

        private <T> T tagged(Callable<T> work) throws Exception {
            MDC.put(CallTag.MDC_KEY, tag);
            try {
                return work.call();
            } finally {
                MDC.remove(CallTag.MDC_KEY);
            }
        }
    }
}
