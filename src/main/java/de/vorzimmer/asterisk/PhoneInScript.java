package de.vorzimmer.asterisk;

import de.vorzimmer.phonein.Ask;
import de.vorzimmer.phonein.Input;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.Phrase;
import de.vorzimmer.phonein.Prompt;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.phonein.Step;
import de.vorzimmer.store.StoreException;
import java.util.List;
import java.util.Objects;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
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
 * <p>The generated prompts ({@code vorzimmer/phonein-*} in the prompt table) are played from the folder the dialplan
 * global {@code VZ_PROMPTS} names ({@code <folder>/<lang>/phonein-*.gsm}, installed by
 * {@code scripts/phonein-prompts --install}; Asterisk picks the language subfolder itself), else from Asterisk's own
 * sounds folders. A prompt that cannot be played costs the caller that prompt, never the session: Asterisk then
 * reports the whole AGI as failed, and the dialplan goes by Asterisk-Java's {@code AJ_AGISTATUS}, which says the
 * script finished.
 *
 * <p>A hang-up at any prompt ends the dialog with its one log line: {@code 200 result=-1} from an entry or a key
 * wait, or Asterisk-Java's hang-up exception from the next command.
 *
 * <p>A typed message is spoken through {@link Speech} (espeak-ng); where that is not installed, the line says
 * where to read it.
 */
public final class PhoneInScript implements AgiScript {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneInScript.class);
    static final String KEYS = "0123456789*#";
    /** Played by GET DATA while it listens: a second of silence (core sounds). */
    static final String LISTEN = "silence/1";
    /** Dialplan variable naming the folder of the generated prompts, as Asterisk sees it. */
    static final String PROMPTS_VARIABLE = "VZ_PROMPTS";
    /** How the prompt table names the generated prompts. */
    static final String OWN_PROMPTS = "vorzimmer/";

    private final PhoneInLine line;
    private final PromptCatalogue prompts;
    private final Speech speech;

    public PhoneInScript(PhoneInLine line, PromptCatalogue prompts, Speech speech) {
        this.line = Objects.requireNonNull(line, "line == null");
        this.prompts = Objects.requireNonNull(prompts, "prompts == null");
        this.speech = Objects.requireNonNull(speech, "speech == null");
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        String uniqueId = request.getUniqueId();
        PhoneInLine.CallRef call = new PhoneInLine.CallRef("asterisk", uniqueId == null ? null : AgiCalls.clip(uniqueId));
        MDC.put("callId", call.callId());
        Step step = null;
        String folder = null;
        try {
            String caller = AgiCalls.restricted(request.getCallingPres() == null ? null
                    : Integer.toString(request.getCallingPres())) ? "" : request.getCallerIdNumber();
            folder = promptFolder(channel.getVariable(PROMPTS_VARIABLE));
            step = line.start(call, caller, line.now());
            String language = null;
            while (true) {
                if (!step.state().language().equals(language)) {
                    language = step.state().language();
                    channel.setVariable("CHANNEL(language)", language);
                }
                Input input = play(channel, step.prompts(), language, step.ask(), folder);
                if (step.hangsUp()) return; // the dialplan's phonein-done hangs up
                step = line.next(call, step.state(), input, line.now());
            }
        } catch (AgiHangupException e) {
            if (step != null && !step.hangsUp()) line.next(call, step.state(), Input.HANGUP, line.now());
            else LOG.info("phone-in [asterisk {}]: caller hung up", call.callId());
        } catch (StoreException | IllegalStateException e) {
            LOG.error("phone-in [asterisk {}]: {}", call.callId(), e.getMessage(), e);
            String lang = step == null ? "en" : step.state().language();
            channel.streamFile(sound(folder, prompts.sound(Phrase.SORRY, lang)));
            channel.streamFile(sound(folder, prompts.sound(Phrase.GOODBYE, lang)));
        } finally {
            MDC.remove("callId");
        }
    }

    /**
     * Plays the prompts and, when {@code ask} is set, returns what the caller keyed. A key pressed during a prompt
     * stops the prompts and starts the entry.
     */
    Input play(AgiChannel channel, List<Prompt> list, String language, Ask ask, String folder) throws AgiException {
        String escape = ask == null ? "" : KEYS;
        char first = 0;
        for (Prompt p : list) {
            first = render(channel, p, language, escape, folder);
            if (first != 0) break;
        }
        if (ask == null) return null;
        long timeout = ask.timeoutSeconds() * 1000L;
        if (ask.singleKey()) {
            if (first == 0) {
                first = channel.waitForDigit((int) timeout);
                // WAIT FOR DIGIT answers -1 when the line dropped while it waited (Asterisk-Java turns that into 0)
                if (first == 0 && channel.getLastReply().getResultCode() < 0) return Input.HANGUP;
            }
            return first == 0 ? Input.TIMEOUT : Input.of(String.valueOf(first));
        }
        if (first == '#') return Input.TIMEOUT; // an entry ended before it began
        // one key more than allowed, so the dialog can say "too many digits"
        int room = ask.maxDigits() + 1 - (first == 0 ? 0 : 1);
        String rest = channel.getData(LISTEN, timeout, room);
        // GET DATA answers -1 when the line dropped during the entry, also after a key that stopped a prompt
        if (Input.DROPPED.equals(rest)) return Input.HANGUP;
        return Input.of((first == 0 ? "" : String.valueOf(first)) + (rest == null ? "" : rest));
    }

    private char render(AgiChannel channel, Prompt p, String language, String escape, String folder) throws AgiException {
        if (p instanceof Prompt.Say s) return channel.streamFile(sound(folder, prompts.sound(s.phrase(), language)), escape);
        if (p instanceof Prompt.Digits d) return d.digits().isEmpty() ? 0 : channel.sayDigits(d.digits(), escape);
        if (p instanceof Prompt.Number n) return channel.sayNumber(Long.toString(n.value()), escape);
        if (p instanceof Prompt.Time t) {
            String format = (t.withDay() ? "A " : "") + (language.equals("de") ? "HM" : "IMp");
            return channel.sayDateTime(t.at().toEpochSecond(), escape, format, t.at().getZone().getId());
        }
        if (p instanceof Prompt.Recording r) {
            String file = playable(r.location());
            return channel.streamFile(file != null ? file : sound(folder, prompts.sound(Phrase.RECORDING_ELSEWHERE, language)),
                    escape);
        }
        if (p instanceof Prompt.Text t) {
            var spoken = speech.speak(t.text(), language);
            if (spoken.isPresent()) return channel.streamFile(spoken.get(), escape);
            return channel.streamFile(sound(folder, prompts.sound(Phrase.TEXT_IN_CONSOLE, language)), escape);
        }
        throw new IllegalStateException("unknown prompt " + p);
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
