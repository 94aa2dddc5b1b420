package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * After {@code core restart} Asterisk's manager answers before the modules behind {@code DeviceStateList} have
 * loaded: the server asks again until Asterisk says yes, so the secretaries' duty is known again without waiting for
 * their next device event. And the answer's events (with the action's {@code ActionID}, and
 * {@code DeviceStateListComplete}) are understood without a warning. Against a small manager interface on
 * 127.0.0.1 that speaks as Asterisk 22 does and refuses the first two requests.
 */
class AmiDeviceStatesTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private ServerSocket listener;
    private Thread manager;
    private ScheduledExecutorService worker;
    private AmiService ami;
    private final AtomicInteger listRequests = new AtomicInteger();
    private final List<String> states = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        log.start();
        root.addAppender(log);
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        manager = new Thread(this::serve, "fake-manager");
        manager.setDaemon(true);
        manager.start();
        worker = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        if (ami != null) ami.close();
        worker.shutdownNow();
        listener.close();
        manager.join(10_000);
        root.detachAppender(log);
    }

    @Test
    void deviceStatesAreAskedForAgainUntilAsteriskAnswersAndTheAnswerIsReadQuietly() {
        AmiService.Sink sink = new AmiService.Sink() {
            @Override
            public void callEvent(CallEvent event) {
            }

            @Override
            public void deviceState(String device, String state) {
                states.add(device + "=" + state);
            }

            @Override
            public void recording(VorzimmerMessageEvent event) {
            }

            @Override
            public void connected() {
            }
        };
        ami = new AmiService(new AmiService.Settings("127.0.0.1", listener.getLocalPort(), "vorzimmer", "secret"), worker,
                sink, r -> { }, Clock.systemUTC());
        ami.start();

        Awaitility.await("the device states after two refusals").atMost(Duration.ofSeconds(30))
                .until(() -> states.containsAll(List.of("PJSIP/anna=NOT_INUSE", "PJSIP/ben=UNAVAILABLE")));
        assertThat(listRequests.get()).isEqualTo(3);
        List<ILoggingEvent> seen = List.copyOf(log.list);
        assertThat(seen).filteredOn(e -> e.getFormattedMessage().startsWith("AMI: DeviceStateList refused")).hasSize(2)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("asking again in"));
        assertThat(seen).anyMatch(e -> e.getFormattedMessage().equals("AMI: DeviceStateList answered; device states known again"));
        // Asterisk-Java says nothing about the answer's events (no "Unable to set property 'actionid'", no
        // "No event class registered for 'devicestatelistcomplete'")
        assertThat(seen).filteredOn(e -> e.getLoggerName().startsWith("org.asteriskjava") && e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    /** One manager session as Asterisk 22 runs it: challenge, login, core settings, then the actions. */
    private void serve() {
        try (Socket s = listener.accept()) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            write(out, "Asterisk Call Manager/9.0.0\r\n");
            for (Map<String, String> action; (action = read(in)) != null; ) {
                String id = action.getOrDefault("actionid", "");
                switch (action.getOrDefault("action", "").toLowerCase()) {
                    case "challenge" -> write(out, packet("Response: Success", "ActionID: " + id, "Challenge: 840415273"));
                    case "login" -> {
                        write(out, packet("Response: Success", "ActionID: " + id, "Message: Authentication accepted"));
                        write(out, packet("Event: FullyBooted", "Privilege: system,all", "Uptime: 1", "LastReload: 1",
                                "Status: Fully Booted"));
                    }
                    case "coresettings" -> write(out, packet("Response: Success", "ActionID: " + id, "AMIversion: 9.0.0",
                            "AsteriskVersion: 22.10.1", "SystemName: ", "CoreMaxCalls: 0", "CoreMaxLoadAvg: 0.000000",
                            "CoreRunUser: asterisk", "CoreRunGroup: asterisk", "CoreMaxFilehandles: 0",
                            "CoreRealTimeEnabled: No", "CoreCDRenabled: No", "CoreHTTPenabled: No"));
                    case "devicestatelist" -> {
                        if (listRequests.incrementAndGet() <= 2) {
                            write(out, packet("Response: Error", "ActionID: " + id, "Message: Invalid/unknown command"));
                        } else {
                            write(out, packet("Response: Success", "ActionID: " + id, "EventList: start",
                                    "Message: Device State Changes will follow"));
                            write(out, packet("Event: DeviceStateChange", "ActionID: " + id, "Device: PJSIP/anna",
                                    "State: NOT_INUSE"));
                            write(out, packet("Event: DeviceStateChange", "ActionID: " + id, "Device: PJSIP/ben",
                                    "State: UNAVAILABLE"));
                            write(out, packet("Event: DeviceStateListComplete", "ActionID: " + id, "EventList: Complete",
                                    "ListItems: 2"));
                        }
                    }
                    case "logoff" -> {
                        write(out, packet("Response: Goodbye", "ActionID: " + id, "Message: Thanks for all the fish."));
                        return;
                    }
                    default -> write(out, packet("Response: Success", "ActionID: " + id));
                }
            }
        } catch (IOException e) {
            // the test is over: the listener or the connection was closed
        }
    }

    private static Map<String, String> read(BufferedReader in) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (fields.isEmpty()) continue;
                return fields;
            }
            int colon = line.indexOf(':');
            if (colon > 0) fields.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return null;
    }

    private static String packet(String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        return String.join("\r\n", all) + "\r\n\r\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
