package de.vorzimmer.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Client;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Identity;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import java.util.List;

/**
 * Renders the voice TwiML, only through the SDK's builders (the text written by {@link Twiml}, as the SDK writes it).
 * No decisions here: the webhooks decide which document a call gets, this class only writes it.
 */
public final class VoiceTwiml {
    /** Longest message a caller can leave, in seconds. */
    static final int MAX_RECORDING = 180;

    private VoiceTwiml() {
    }

    /**
     * Rings the client's reach; the client hears the whisper ({@code whisperUrl}) and must press 1, and the
     * {@code <Dial>} reports to {@code dialResultUrl} when it ends.
     */
    public static String putThrough(String reach, int ringSeconds, String whisperUrl, String dialResultUrl) {
        Number number = new Number.Builder(reach).url(whisperUrl).method(HttpMethod.POST).build();
        Dial dial = new Dial.Builder().action(dialResultUrl).method(HttpMethod.POST).timeout(ringSeconds)
                .number(number).build();
        return Twiml.xml(new VoiceResponse.Builder().dial(dial).build());
    }

    /**
     * Rings the secretaries at once; each leg reports "answered" to {@code answeredUrl} so the call counts as taken
     * even if the dial result arrives late.
     */
    public static String screen(List<TwilioCalls.Endpoint> endpoints, int ringSeconds, String display,
                                String answeredUrl, String dialResultUrl) {
        Dial.Builder dial = new Dial.Builder().action(dialResultUrl).method(HttpMethod.POST).timeout(ringSeconds);
        for (TwilioCalls.Endpoint e : endpoints) {
            if (e instanceof TwilioCalls.ClientEndpoint c) {
                Client.Builder client = new Client.Builder().identity(new Identity.Builder(c.identity()).build())
                        .statusCallbackEvents(Client.Event.ANSWERED).statusCallback(answeredUrl)
                        .statusCallbackMethod(HttpMethod.POST);
                if (display != null) client.parameter(new Parameter.Builder().name("display").value(display).build());
                dial.client(client.build());
            } else if (e instanceof TwilioCalls.SipEndpoint s) {
                dial.sip(new Sip.Builder(s.uri()).statusCallbackEvents(Sip.Event.ANSWERED).statusCallback(answeredUrl)
                        .statusCallbackMethod(HttpMethod.POST).build());
            }
        }
        return Twiml.xml(new VoiceResponse.Builder().dial(dial.build()).build());
    }

    /** The client's greeting, the invitation to speak, and {@code <Record>} reporting to {@code recordingUrl}. */
    public static String record(Prompts prompts, String greeting, String recordingUrl) {
        String intro = (greeting == null || greeting.isBlank() ? prompts.hello() : greeting.strip()) + " "
                + prompts.leaveMessage();
        Record record = new Record.Builder().action(recordingUrl).method(HttpMethod.POST).maxLength(MAX_RECORDING)
                .timeout(5).playBeep(true).finishOnKey("#").build();
        // reached only when nothing was recorded: Twilio then goes on without requesting the action
        return Twiml.xml(new VoiceResponse.Builder().say(say(prompts, intro)).record(record)
                .say(say(prompts, prompts.nothingRecorded())).hangup(new Hangup.Builder().build()).build());
    }

    public static String reject() {
        return Twiml.xml(new VoiceResponse.Builder().reject(new Reject.Builder().reason(Reject.Reason.REJECTED).build())
                .build());
    }

    /** The client's side before the two are connected: press 1 to take the call, anything else hangs up. */
    public static String whisper(Prompts prompts, String display, String answerUrl) {
        Gather gather = new Gather.Builder().numDigits(1).timeout(8).action(answerUrl).method(HttpMethod.POST)
                .say(say(prompts, prompts.whisper(display))).build();
        return Twiml.xml(new VoiceResponse.Builder().gather(gather).hangup(new Hangup.Builder().build()).build());
    }

    public static String thanks(Prompts prompts) {
        return Twiml.xml(new VoiceResponse.Builder().say(say(prompts, prompts.thanks())).hangup(new Hangup.Builder().build())
                .build());
    }

    public static String nothingRecorded(Prompts prompts) {
        return Twiml.xml(new VoiceResponse.Builder().say(say(prompts, prompts.nothingRecorded()))
                .hangup(new Hangup.Builder().build()).build());
    }

    public static String hangup() {
        return Twiml.xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
    }

    /** An empty document: for the whisper, "connect now"; for status callbacks, "noted". */
    public static String empty() {
        return Twiml.xml(new VoiceResponse.Builder().build());
    }

    private static Say say(Prompts prompts, String text) {
        Say.Builder b = new Say.Builder(text);
        if (prompts.voice() != null) b.language(prompts.voice());
        return b.build();
    }
}
