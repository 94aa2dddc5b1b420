package de.vorzimmer.asterisk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One FastAGI call as res_agi places it, for tests without the real PBX: the environment, then each command
 * answered with the lines {@code answer} gives for it (an answer may be followed by {@code HANGUP}, as res_agi writes
 * it when the channel hangs up), until the server closes the connection.
 */
final class FakeAsterisk {
    private FakeAsterisk() {
    }

    static String environment(String script, String callerId, String extension) {
        return "agi_network: yes\nagi_network_script: " + script + "\nagi_request: agi://127.0.0.1/" + script + "\n"
                + "agi_channel: Local/s@vorzimmer-phonein-00000001;2\nagi_language: en\nagi_type: Local\n"
                + "agi_uniqueid: 1795833096.25\nagi_version: 22.10.1\nagi_callerid: " + callerId + "\n"
                + "agi_calleridname: unknown\nagi_callingpres: 0\nagi_context: vorzimmer-phonein\n"
                + "agi_extension: " + extension + "\nagi_priority: 3\nagi_arg_1: \n\n";
    }

    /** Places the call; returns the commands the server sent, in order. At most 200 commands, 20 s without a line. */
    static List<String> call(int port, String environment, Function<String, List<String>> answer) throws IOException {
        List<String> commands = new ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(environment.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String line; commands.size() < 200 && (line = in.readLine()) != null; ) {
                commands.add(line);
                StringBuilder reply = new StringBuilder();
                for (String r : answer.apply(line)) reply.append(r).append('\n');
                try {
                    out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (SocketException e) {
                    break; // the server closed first
                }
            }
        } catch (SocketException e) {
            // reset by the server: the call is over
        }
        return commands;
    }
}
