package de.vorzimmer.asterisk;

import de.vorzimmer.asterisk.agi.AgiCall;
import de.vorzimmer.asterisk.agi.AgiHangupException;
import de.vorzimmer.asterisk.agi.AgiReply;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.calls.CallTag;
import de.vorzimmer.phonein.Ask;
import de.vorzimmer.phonein.DialogState;
import de.vorzimmer.phonein.Input;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.Phrase;
import de.vorzimmer.phonein.Prompt;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.phonein.Step;
import de.vorzimmer.store.StoreException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SayDateTimeCommand;
import org.asteriskjava.fastagi.command.SayDigitsCommand;
import org.asteriskjava.fastagi.command.SayNumberCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FastAGI {@code phonein} script ({@code AGI(agi://HOST/phonein)} in context {@code vorzimmer-phonein}): runs
 * the phone-in dialog for the length of the call. Each step's prompts are played with barge-in (stock and generated
 * sound files in the channel's language, {@code SAY DIGITS/NUMBER/DATETIME}, recorded messages from their path), then
 * the next input is collected ({@code WAIT FOR DIGIT} for a menu key, {@code GET DATA} for an entry that {@code #}
 * ends) and fed back to the dialog. Unlike {@code route}, this connection lasts as long as the call.
 *
 * <p>The conversation is asynchronous on the connection's event loop: one command, its answer, the next. Each step
 * of {@link PhoneInLine} (store reads and writes, the PIN hash) and the rendering of a typed message's speech run on a
 * worker thread ({@link AgiCall#offLoop}); the AGI commands are Asterisk-Java's, so the PBX receives the lines it
 * always did. A caller who hangs up ({@code HANGUP}, {@code 200 result=-1} while a key is awaited, a dead channel)
 * ends the dialog with one INFO line.
 *
 * <p>The generated prompts ({@code vorzimmer/phonein-*} in the prompt table) are played from the folder the dialplan
 * global {@code VZ_PROMPTS} names ({@code <folder>/<lang>/phonein-*.gsm}, installed by
 * {@code scripts/phonein-prompts --install}; Asterisk picks the language subfolder itself), else from Asterisk's own
 * sounds folders. A prompt that cannot be played costs the caller that prompt, never the session.
 *
 * <p>A typed message is spoken through {@link Speech} (espeak-ng); where that is not installed, the line says
 * where to read it.
 */
public final class PhoneInScript implements FastAgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneInScript.class);
    static final String KEYS = "0123456789*#";
    /** Played by GET DATA while it listens: a second of silence (core sounds). */
    static final String LISTEN = "silence/1";

    private final PhoneInLine line;
    private final PromptCatalogue prompts;
    private final Speech speech;
    /** Dialplan variable naming the folder of the generated prompts, as Asterisk sees it. */
    static final String PROMPTS_VARIABLE = "VZ_PROMPTS";
    /** How the prompt table names the generated prompts. */
    static final String OWN_PROMPTS = "vorzimmer/";

    public PhoneInScript(PhoneInLine line, PromptCatalogue prompts, Speech speech) {
        this.line = Objects.requireNonNull(line, "line == null");
        this.prompts = Objects.requireNonNull(prompts, "prompts == null");
        this.speech = Objects.requireNonNull(speech, "speech == null");
    }

    @Override
    public Future<Void> run(AgiCall agi) {
        String uniqueId = agi.uniqueId();
        PhoneInLine.CallRef call = new PhoneInLine.CallRef("asterisk", uniqueId == null ? null : AgiCalls.clip(uniqueId));
        return new Dialog(agi, call).run(callerNumber(agi.environment()));
    }

    /**
     * The caller's number as the network gave it ({@code agi_callerid}, null when {@code unknown}), or empty when
     * the presentation is restricted or cannot be read: such a caller enters the client code like anyone unknown.
     */
    static String callerNumber(Map<String, String> env) {
        String pres = env.get("callingpres");
        try {
            if (pres != null && AgiCalls.restricted(Integer.toString(Integer.parseInt(pres.trim())))) return "";
        } catch (NumberFormatException | AgiInputException e) {
            return "";
        }
        String number = env.get("callerid");
        return number == null || "unknown".equals(number) ? null : number;
    }

    /** A step of the dialog with its prompts as AGI commands, made off the event loop. */
    private record Planned(Step step, List<AgiCommand> prompts) {
    }

    /** One call: the dialog's current step and the channel's language. Runs on the connection's event loop. */
    private final class Dialog {
        private final AgiCall agi;
        private final PhoneInLine.CallRef call;
        private Step step;
        private String language;
        /** The folder of the generated prompts ({@code VZ_PROMPTS}), or null for Asterisk's sounds folders. */
        private String folder;

        Dialog(AgiCall agi, PhoneInLine.CallRef call) {
            this.agi = agi;
            this.call = call;
        }

        Future<Void> run(String caller) {
            return agi.send(new GetVariableCommand(PROMPTS_VARIABLE))
                    .map(r -> folder = r.resultCode() == 1 ? promptFolder(r.extra()) : null)
                    .compose(f -> agi.offLoop(() -> tagged(() -> plan(line.start(call, caller, line.now()), folder))))
                    .compose(this::carryOut)
                    .recover(this::ended);
        }

        private Future<Void> carryOut(Planned p) {
            step = p.step();
            Future<?> ready = Future.succeededFuture();
            String lang = step.state().language();
            if (!lang.equals(language)) {
                language = lang;
                ready = agi.send(new SetVariableCommand("CHANNEL(language)", lang));
            }
            Step now = step;
            return ready.compose(v -> play(p.prompts(), now.ask())).compose(input -> {
                // the dialog is over and the dialplan's phonein-done hangs up; AJ_AGISTATUS says it was served, so a
                // prompt that could not be played (Asterisk then reports AGISTATUS=FAILURE) costs no apology
                if (now.hangsUp()) return agi.send(new SetVariableCommand(AgiStatus.VARIABLE, AgiStatus.SUCCESS)).mapEmpty();
                return agi.offLoop(() -> tagged(() -> plan(line.next(call, now.state(), input, line.now()), folder)))
                        .compose(this::carryOut);
            });
        }

        /**
         * Plays the prompts and, when {@code ask} is set, collects what the caller keys (null without). A key pressed
         * during a prompt stops the prompts and starts the entry.
         */
        private Future<Input> play(List<AgiCommand> list, Ask ask) {
            return playFrom(list, 0).compose(first -> {
                if (ask == null) return Future.succeededFuture();
                int timeout = ask.timeoutSeconds() * 1000;
                if (ask.singleKey()) {
                    if (first != 0) return Future.succeededFuture(keys(String.valueOf(first)));
                    return agi.play(new WaitForDigitCommand(timeout)).map(r -> {
                        if (r.resultCode() < 0) throw new AgiHangupException("no key: " + r.firstLine());
                        return r.resultChar() == 0 ? Input.TIMEOUT : keys(String.valueOf(r.resultChar()));
                    });
                }
                if (first == '#') return Future.succeededFuture(Input.TIMEOUT); // an entry ended before it began
                // one key more than allowed, so the dialog can say "too many digits"
                int room = ask.maxDigits() + 1 - (first == 0 ? 0 : 1);
                return agi.play(new GetDataCommand(LISTEN, timeout, room)).map(r -> {
                    if ("-1".equals(r.result())) throw new AgiHangupException("no entry: " + r.firstLine());
                    return keys((first == 0 ? "" : String.valueOf(first)) + r.result());
                });
            });
        }

        /** Plays {@code list} from {@code i} on until a key interrupts one: that key, or 0. */
        private Future<Character> playFrom(List<AgiCommand> list, int i) {
            if (i == list.size()) return Future.succeededFuture((char) 0);
            return agi.play(list.get(i)).compose((AgiReply r) -> {
                // -1: the file did not play; after a HANGUP that is the caller leaving, else a missing file is skipped
                if (r.resultCode() < 0 && agi.hungUp()) return Future.failedFuture(new AgiHangupException("hung up"));
                char key = r.resultChar();
                return key != 0 ? Future.succeededFuture(key) : playFrom(list, i + 1);
            });
        }

        private Future<Void> ended(Throwable e) {
            if (e instanceof AgiHangupException) {
                if (step != null && !step.hangsUp()) {
                    DialogState at = step.state();
                    // logs the hang-up as the dialog's last step, in the INFO line every step gets
                    return agi.offLoop(() -> tagged(() -> line.next(call, at, Input.HANGUP, line.now()))).mapEmpty();
                }
                LOG.info("phone-in [asterisk {}]: caller hung up", call.callId());
                return Future.succeededFuture();
            }
            if (e instanceof StoreException || e instanceof IllegalStateException) {
                LOG.error("phone-in [asterisk {}]: {}", call.callId(), e.getMessage(), e);
                String lang = step == null ? "en" : step.state().language();
                return agi.play(new StreamFileCommand(sound(folder, prompts.sound(Phrase.SORRY, lang))))
                        .compose(r -> agi.play(new StreamFileCommand(sound(folder, prompts.sound(Phrase.GOODBYE, lang)))))
                        .<Void>mapEmpty().otherwiseEmpty();
            }
            return Future.failedFuture(e);
        }

        private <T> T tagged(Callable<T> work) throws Exception {
            MDC.put(CallTag.MDC_KEY, call.callId());
            try {
                return work.call();
            } finally {
                MDC.remove(CallTag.MDC_KEY);
            }
        }
    }

    /** The step's prompts as AGI commands in its language; blocking (a typed message may be spoken first). */
    private Planned plan(Step step, String folder) {
        String language = step.state().language();
        String escape = step.ask() == null ? "" : KEYS;
        List<AgiCommand> out = new ArrayList<>(step.prompts().size());
        for (Prompt p : step.prompts()) {
            AgiCommand c = render(p, language, escape, folder);
            if (c != null) out.add(c);
        }
        return new Planned(step, out);
    }

    private AgiCommand render(Prompt p, String language, String escape, String folder) {
        if (p instanceof Prompt.Say s) return new StreamFileCommand(sound(folder, prompts.sound(s.phrase(), language)), escape);
        if (p instanceof Prompt.Digits d) return d.digits().isEmpty() ? null : new SayDigitsCommand(d.digits(), escape);
        if (p instanceof Prompt.Number n) return new SayNumberCommand(Long.toString(n.value()), escape);
        if (p instanceof Prompt.Time t) {
            String format = (t.withDay() ? "A " : "") + (language.equals("de") ? "HM" : "IMp");
            return new SayDateTimeCommand(t.at().toEpochSecond(), escape, format, t.at().getZone().getId());
        }
        if (p instanceof Prompt.Recording r) {
            String file = playable(r.location());
            return new StreamFileCommand(file != null ? file
                    : sound(folder, prompts.sound(Phrase.RECORDING_ELSEWHERE, language)), escape);
        }
        if (p instanceof Prompt.Text t) {
            var spoken = speech.speak(t.text(), language);
            if (spoken.isPresent()) return new StreamFileCommand(spoken.get(), escape);
            return new StreamFileCommand(sound(folder, prompts.sound(Phrase.TEXT_IN_CONSOLE, language)), escape);
        }
        throw new IllegalStateException("unknown prompt " + p);
    }

    /** The keys as the dialog takes them: anything but {@code 0-9 * #} (keys A-D) is dropped; none is a time-out. */
    static Input keys(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9' || c == '*' || c == '#') sb.append(c);
        }
        return Input.of(sb.toString());
    }

    /**
     * The file {@code STREAM FILE} plays for a sound of the prompt table: a generated prompt ({@code vorzimmer/NAME})
     * from {@code folder} as {@code folder/NAME} (Asterisk looks in {@code folder/<language>/} first), anything else
     * (stock sounds) as named. Without a folder the generated prompts are looked up in Asterisk's sounds folders.
     */
    static String sound(String folder, String sound) {
        if (folder == null || !sound.startsWith(OWN_PROMPTS)) return sound;
        return folder + "/" + sound.substring(OWN_PROMPTS.length());
    }

    /** {@code VZ_PROMPTS} as a folder to play from: an absolute path without a trailing slash, else null. */
    static String promptFolder(String value) {
        if (value == null) return null;
        String v = value.strip();
        while (v.length() > 1 && v.endsWith("/")) v = v.substring(0, v.length() - 1);
        if (!v.startsWith("/") || v.contains("\"") || v.contains("\n") || v.contains(" ")) return null;
        return v;
    }

    /** A recording Asterisk can play: an absolute file path, without its extension; null for a URL. */
    static String playable(String location) {
        if (!location.startsWith("/") || location.contains("\"") || location.contains("\n")) return null;
        int slash = location.lastIndexOf('/');
        int dot = location.lastIndexOf('.');
        return dot > slash ? location.substring(0, dot) : location;
    }
}
