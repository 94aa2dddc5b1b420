package de.vorzimmer.asterisk;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A carrier's INVITE, placed with SIPp (Debian {@code sip-tester}) into the sandbox's sample trunk
 * ({@code pjsip_vorzimmer_trunk.conf}, identified by its address {@code trunk=} of {@code asterisk-sandbox status}):
 * the Request-URI names the dialed number, the headers say who calls and from which line the call was forwarded,
 * as a carrier sends them. After the call is answered the caller plays its RTP stream ({@link RtpPcap}: audio,
 * keys), then hangs up after {@code hold} unless Asterisk hangs up first.
 */
final class Sipp {
    private static final AtomicInteger CALLS = new AtomicInteger();

    /** One call. Header values are sent as given; null leaves the header out. */
    record Invite(String dialed, String from, String assertedIdentity, String privacy, String diversion,
                  String historyInfo, RtpPcap media, Duration hold) {
        Invite {
            Objects.requireNonNull(dialed, "dialed == null");
            Objects.requireNonNull(from, "from == null");
            Objects.requireNonNull(hold, "hold == null");
        }

        /** A call from {@code number} (as a carrier's From, with the number as display name too). */
        static Invite from(String number, String dialed) {
            return new Invite(dialed, "<sip:" + number + "@carrier.invalid;user=phone>", null, null, null, null, null,
                    Duration.ofSeconds(4));
        }

        Invite withFrom(String header) {
            return new Invite(dialed, header, assertedIdentity, privacy, diversion, historyInfo, media, hold);
        }

        Invite asserted(String header) {
            return new Invite(dialed, from, header, privacy, diversion, historyInfo, media, hold);
        }

        Invite privacy(String header) {
            return new Invite(dialed, from, assertedIdentity, header, diversion, historyInfo, media, hold);
        }

        Invite diversion(String header) {
            return new Invite(dialed, from, assertedIdentity, privacy, header, historyInfo, media, hold);
        }

        Invite historyInfo(String header) {
            return new Invite(dialed, from, assertedIdentity, privacy, diversion, header, media, hold);
        }

        Invite media(RtpPcap stream) {
            return new Invite(dialed, from, assertedIdentity, privacy, diversion, historyInfo, stream, hold);
        }

        Invite hold(Duration d) {
            return new Invite(dialed, from, assertedIdentity, privacy, diversion, historyInfo, media, d);
        }
    }

    /** A SIPp process placing one call; {@link #await} waits for it. */
    static final class Running {
        private final Process process;
        private final Path dir;

        private Running(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
        }

        /** Waits until SIPp ends; fails the test if it does not within {@code timeout} or the call failed. */
        String await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    fail("SIPp did not end within " + timeout.toSeconds() + " s:\n" + log());
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for SIPp");
            }
            if (process.exitValue() != 0) fail("SIPp exit " + process.exitValue() + ":\n" + log());
            return log();
        }

        /** What SIPp sent and received, and its errors. */
        String log() {
            StringBuilder sb = new StringBuilder();
            for (String f : List.of("messages.log", "errors.log", "out.txt")) {
                Path p = dir.resolve(f);
                try {
                    if (Files.exists(p)) sb.append("--- ").append(f).append('\n').append(Files.readString(p));
                } catch (IOException e) {
                    sb.append("--- ").append(f).append(": ").append(e.getMessage()).append('\n');
                }
            }
            return sb.toString();
        }
    }

    private final String asterisk;
    private final String trunkAddress;
    private final Path work;

    /**
     * @param asterisk     the sandbox's SIP address ({@code sip=} of the status)
     * @param trunkAddress the loopback address the sample trunk is identified by ({@code trunk=})
     */
    Sipp(String asterisk, String trunkAddress, Path work) {
        this.asterisk = asterisk;
        this.trunkAddress = trunkAddress;
        this.work = work;
    }

    static Sipp of(Sandbox sandbox, Path work) {
        String trunk = sandbox.status.get("trunk");
        if (trunk == null) fail("scripts/asterisk-sandbox status printed no trunk= (the sample trunk's address)");
        return new Sipp(sandbox.status.get("sip"), trunk, work);
    }

    /** Starts the call and returns at once. */
    Running call(Invite invite) {
        int n = CALLS.incrementAndGet();
        try {
            Path dir = Files.createDirectories(work.resolve("sipp-" + n));
            String pcap = null;
            if (invite.media() != null) pcap = invite.media().write(dir.resolve("caller.pcap")).toString();
            Path scenario = dir.resolve("call.xml");
            Files.writeString(scenario, scenario(invite, pcap), StandardCharsets.ISO_8859_1);
            int mediaPort = freePort(true);
            // a port of its own for each call: a late retransmission of the last call never reaches this one
            int sipPort = freePort(false);
            List<String> cmd = new ArrayList<>(List.of("sipp", asterisk, "-sf", scenario.toString(), "-i", trunkAddress,
                    "-p", Integer.toString(sipPort), "-mi", trunkAddress, "-mp", Integer.toString(mediaPort), "-m", "1",
                    "-nostdin",
                    "-timeout", "150s", "-timeout_error", "-trace_msg", "-message_file", dir.resolve("messages.log").toString(),
                    "-trace_err", "-error_file", dir.resolve("errors.log").toString()));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.txt").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new Running(p, dir);
        } catch (IOException e) {
            return fail("cannot start SIPp (Debian package sip-tester; scripts/test installs it): " + e.getMessage());
        }
    }

    /** A UDP port free on the trunk's address (even, with the next one free too, for RTP). */
    private int freePort(boolean rtp) throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(trunkAddress), 0))) {
                int port = s.getLocalPort();
                if (!rtp) return port;
                if (port % 2 != 0 || port > 65000) continue;
                try (DatagramSocket next = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(trunkAddress), port + 1))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free UDP port on " + trunkAddress);
    }

    static String scenario(Invite in, String pcap) {
        StringBuilder headers = new StringBuilder();
        if (in.assertedIdentity() != null) headers.append("P-Asserted-Identity: ").append(in.assertedIdentity()).append('\n');
        if (in.privacy() != null) headers.append("Privacy: ").append(in.privacy()).append('\n');
        if (in.diversion() != null) headers.append("Diversion: ").append(in.diversion()).append('\n');
        if (in.historyInfo() != null) {
            // one header per entry, as carriers send them (" & " separates the entries here)
            for (String entry : in.historyInfo().split(" & ")) headers.append("History-Info: ").append(entry.strip()).append('\n');
        }
        String play = pcap == null ? "" : "  <nop><action><exec play_pcap_audio=\"" + xml(pcap) + "\"/></action></nop>\n";
        return """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <scenario name="carrier call">
                  <send retrans="500"><![CDATA[
                INVITE sip:%1$s@[remote_ip]:[remote_port] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: %2$s;tag=[pid]SIPpTag[call_number]
                To: <sip:%1$s@[remote_ip]:[remote_port]>
                Call-ID: [call_id]
                CSeq: 1 INVITE
                Contact: <sip:carrier@[local_ip]:[local_port]>
                %3$sMax-Forwards: 70
                Content-Type: application/sdp
                Content-Length: [len]

                v=0
                o=carrier 1 1 IN IP4 [media_ip]
                s=-
                c=IN IP4 [media_ip]
                t=0 0
                m=audio [media_port] RTP/AVP 8 101
                a=rtpmap:8 PCMA/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                a=ptime:20
                a=sendrecv
                ]]></send>
                  <recv response="100" optional="true"/>
                  <recv response="180" optional="true"/>
                  <recv response="183" optional="true"/>
                  <recv response="200" rrs="true"/>
                  <send><![CDATA[
                ACK [next_url] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                [last_From:]
                [last_To:]
                Call-ID: [call_id]
                CSeq: 1 ACK
                Contact: <sip:carrier@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Length: 0
                ]]></send>
                %4$s  <recv request="BYE" timeout="%5$d" ontimeout="hangup"/>
                  <send><![CDATA[
                SIP/2.0 200 OK
                [last_Via:]
                [last_From:]
                [last_To:]
                [last_Call-ID:]
                [last_CSeq:]
                Content-Length: 0
                ]]></send>
                  <nop next="end"/>
                  <label id="hangup"/>
                  <send retrans="500"><![CDATA[
                BYE [next_url] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                [last_From:]
                [last_To:]
                Call-ID: [call_id]
                CSeq: 2 BYE
                Contact: <sip:carrier@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Length: 0
                ]]></send>
                  <recv response="200"/>
                  <label id="end"/>
                </scenario>
                """.formatted(in.dialed(), cdata(in.from()), cdata(headers.toString()), play, in.hold().toMillis());
    }

    private static String cdata(String s) {
        if (s.contains("]]>") || s.contains("\r")) throw new IllegalArgumentException("header cannot go into the scenario: " + s);
        return s;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
