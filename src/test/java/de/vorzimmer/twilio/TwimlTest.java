package de.vorzimmer.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Client;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Identity;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The server's TwiML writer gives exactly the SDK's {@code toXml()} text, and writes ordinary documents itself. */
class TwimlTest {
    private static final String URL = "https://vz.example.com/twilio/dial-result?call=CA1&stage=screen&lang=de";

    /** Every kind of document the webhooks send, with the text a client's book can hold. */
    private static List<TwiML> documents(String text) {
        Say say = new Say.Builder(text).language(Say.Language.DE_DE).build();
        return List.of(
                new VoiceResponse.Builder().build(),
                new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build(),
                new VoiceResponse.Builder().reject(new Reject.Builder().reason(Reject.Reason.REJECTED).build()).build(),
                new VoiceResponse.Builder().dial(new Dial.Builder().action(URL).method(HttpMethod.POST).timeout(20)
                        .number(new Number.Builder("+49301234567").url(URL + "&display=" + text).method(HttpMethod.POST)
                                .build()).build()).build(),
                new VoiceResponse.Builder().dial(new Dial.Builder().action(URL).method(HttpMethod.POST).timeout(25)
                        .client(new Client.Builder().identity(new Identity.Builder("anna-weber").build())
                                .statusCallbackEvents(Client.Event.ANSWERED).statusCallback(URL)
                                .statusCallbackMethod(HttpMethod.POST)
                                .parameter(new Parameter.Builder().name("display").value(text).build()).build())
                        .sip(new Sip.Builder("sip:ben@pbx.example.com").statusCallbackEvents(Sip.Event.ANSWERED)
                                .statusCallback(URL).statusCallbackMethod(HttpMethod.POST).build()).build()).build(),
                new VoiceResponse.Builder().say(say).record(new Record.Builder().action(URL).method(HttpMethod.POST)
                        .maxLength(180).timeout(5).playBeep(true).finishOnKey("#").build()).say(say)
                        .hangup(new Hangup.Builder().build()).build(),
                new VoiceResponse.Builder().gather(new Gather.Builder().numDigits(1).timeout(8).action(URL)
                        .method(HttpMethod.POST).say(say).play(new Play.Builder("https://vz.example.com/p/1.wav").build())
                        .build()).hangup(new Hangup.Builder().build()).build(),
                new MessagingResponse.Builder().build(),
                new MessagingResponse.Builder().message(new Message.Builder(text).build()).build());
    }

    @Test
    void ordinaryDocumentsAreWrittenByTheWriterAndEqualTheSdksText() {
        for (String text : List.of("Zahnarztpraxis Dr. Müller, guten Tag.", "Kanzlei Berg & Söhne <Notdienst> \"sofort\" 'bitte'",
                "Straße 5 – 10 € · 中文 ½", "", " leading and trailing ")) {
            for (TwiML doc : documents(text)) {
                Optional<String> ours = Twiml.written(doc);
                assertTrue(ours.isPresent(), () -> "not written by the writer: " + doc.toXml());
                assertEquals(doc.toXml(), ours.get());
                assertEquals(doc.toXml(), Twiml.xml(doc));
            }
        }
    }

    @Test
    void textTheWriterLeavesToTheSdkStillComesOutAsTheSdkWritesIt() {
        for (String text : List.of("line one\nline two", "tab\there", "bell \u0007", "emoji \uD83D\uDE00", "del \u007F",
                "c1 \u0085", "cr \r")) {
            for (TwiML doc : documents(text)) {
                assertEquals(doc.toXml(), Twiml.xml(doc), () -> "for " + text.codePoints().boxed().toList());
            }
        }
        // the SDK's bare text node builds its own XML: the document goes to toXml()
        TwiML withText = new VoiceResponse.Builder().say(new Say.Builder().addText("Guten Tag & willkommen").build()).build();
        assertTrue(Twiml.written(withText).isEmpty());
        assertEquals(withText.toXml(), Twiml.xml(withText));
    }

    @Test
    void randomTextOfEveryKindOfCharacterComesOutAsTheSdkWritesIt() {
        char[] alphabet = "aZ09 &<>\"'=;/?#%äöüßÄ€中\u00A0\u00A9\u2028\uFFFD\uE000\n\t\r\u0001\u007F\u0085\uD83D\uDE00".toCharArray();
        Random random = new Random(20261206);
        int writtenByUs = 0;
        for (int i = 0; i < 500; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) s.append(alphabet[random.nextInt(alphabet.length)]);
            for (TwiML doc : documents(s.toString())) {
                String expected;
                try {
                    expected = doc.toXml();
                } catch (RuntimeException sdkRefuses) {
                    continue; // text the SDK cannot write (a lone surrogate) is no document either way
                }
                if (Twiml.written(doc).isPresent()) writtenByUs++;
                assertEquals(expected, Twiml.xml(doc), () -> "for " + s.codePoints().boxed().toList());
            }
        }
        assertTrue(writtenByUs > 1000, "only " + writtenByUs + " documents written by the writer");
    }
}
