package de.vorzimmer.asterisk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One caller's RTP stream as a pcap file for SIPp's {@code play_pcap_audio}, made the way a phone sends it: G.711
 * A-law every 20 ms (silence or a tone) with RFC 4733 telephone events in between, one SSRC, consecutive sequence
 * numbers and timestamps that advance with the audio. Each key is its own event with its own timestamp; SIPp's
 * shipped {@code dtmf_2833_*.pcap} captures all carry the same fixed timestamp, so Asterisk takes the first key and
 * drops the others as repeats of an event it has already ended.
 */
final class RtpPcap {
    static final int PCMA = 8;
    static final int TELEPHONE_EVENT = 101;
    private static final int SAMPLES = 160; // 20 ms at 8 kHz
    private static final int SSRC = 0x5650_0001;

    /** One RTP packet: when (ms from the start), payload type, marker, timestamp and payload. */
    private record Packet(long atMillis, int type, boolean marker, long timestamp, byte[] payload) {
    }

    private final List<Packet> packets = new ArrayList<>();
    private long clockMillis;
    private long timestamp = 8000;

    /** {@code millis} of A-law silence. */
    RtpPcap silence(int millis) {
        byte[] quiet = new byte[SAMPLES];
        java.util.Arrays.fill(quiet, (byte) 0xD5);
        for (int t = 0; t < millis; t += 20) audio(quiet);
        return this;
    }

    /** {@code millis} of a sine tone at {@code hz}, loud enough that Record() does not take it for silence. */
    RtpPcap tone(int millis, int hz) {
        int n = 0;
        for (int t = 0; t < millis; t += 20) {
            byte[] b = new byte[SAMPLES];
            for (int i = 0; i < SAMPLES; i++, n++) {
                b[i] = alaw((short) (Math.sin(2 * Math.PI * hz * n / 8000.0) * 12000));
            }
            audio(b);
        }
        return this;
    }

    /**
     * The keys of {@code digits} ({@code 0-9 * #}), each an RFC 4733 event of {@code pressMillis} followed by
     * {@code gapMillis} of silence.
     */
    RtpPcap keys(String digits, int pressMillis, int gapMillis) {
        for (char c : digits.toCharArray()) {
            key(c, pressMillis);
            silence(gapMillis);
        }
        return this;
    }

    private void key(char digit, int pressMillis) {
        int event = switch (digit) {
            case '*' -> 10;
            case '#' -> 11;
            default -> {
                if (digit < '0' || digit > '9') throw new IllegalArgumentException("'" + digit + "' is not a key");
                yield digit - '0';
            }
        };
        long start = timestamp;
        int duration = 0;
        boolean first = true;
        for (int t = 0; t < pressMillis; t += 20) {
            duration += SAMPLES;
            packets.add(new Packet(clockMillis, TELEPHONE_EVENT, first, start, eventPayload(event, false, duration)));
            first = false;
            clockMillis += 20;
            timestamp += SAMPLES;
        }
        // the end of the event three times, as RFC 4733 asks (the same timestamp and duration)
        for (int i = 0; i < 3; i++) {
            packets.add(new Packet(clockMillis, TELEPHONE_EVENT, false, start, eventPayload(event, true, duration)));
        }
    }

    private static byte[] eventPayload(int event, boolean end, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    private void audio(byte[] samples) {
        packets.add(new Packet(clockMillis, PCMA, false, timestamp, samples));
        clockMillis += 20;
        timestamp += SAMPLES;
    }

    /** How long the stream plays. */
    long millis() {
        return clockMillis;
    }

    /** Writes the stream as a pcap (Ethernet, IPv4, UDP from port 6000 to 6000: SIPp sends it to the callee's port). */
    Path write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(packets.size() * 220);
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(header.array());
        int seq = 1000;
        int lastSeq = -1;
        Packet previous = null;
        for (Packet p : packets) {
            // the repeated end of an event keeps its sequence number
            boolean repeat = previous != null && isEnd(p) && isEnd(previous) && previous.timestamp() == p.timestamp();
            int s = repeat ? lastSeq : seq++;
            lastSeq = s;
            previous = p;
            byte[] rtp = ByteBuffer.allocate(12 + p.payload().length)
                    .put((byte) 0x80).put((byte) ((p.marker() ? 0x80 : 0) | p.type())).putShort((short) s)
                    .putInt((int) p.timestamp()).putInt(SSRC).put(p.payload()).array();
            byte[] frame = frame(rtp);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt((int) (p.atMillis() / 1000)).putInt((int) (p.atMillis() % 1000) * 1000)
                    .putInt(frame.length).putInt(frame.length);
            out.write(record.array());
            out.write(frame);
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    private static boolean isEnd(Packet p) {
        return p.type() == TELEPHONE_EVENT && (p.payload()[1] & 0x80) != 0;
    }

    private static byte[] frame(byte[] rtp) {
        int udpLength = 8 + rtp.length;
        int ipLength = 20 + udpLength;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        b.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 2}).put(new byte[] {127, 0, 0, 1});
        int sum = 0;
        for (int i = ipStart; i < ipStart + 20; i += 2) sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        b.putShort(ipStart + 10, (short) ~sum);
        b.putShort((short) 6000).putShort((short) 6000).putShort((short) udpLength).putShort((short) 0).put(rtp);
        return b.array();
    }

    /** G.711 A-law of one 16-bit sample. */
    static byte alaw(short sample) {
        int pcm = sample >> 3; // 13-bit
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int[] ends = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
        int seg = 0;
        while (seg < 8 && pcm > ends[seg]) seg++;
        if (seg >= 8) return (byte) (0x7F ^ mask);
        int aval = seg << 4;
        aval |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
        return (byte) (aval ^ mask);
    }
}
