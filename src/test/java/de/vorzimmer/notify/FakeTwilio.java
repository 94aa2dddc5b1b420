package de.vorzimmer.notify;


import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.vorzimmer.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's REST API as far as we use it, on 127.0.0.1 and a free port: the Messages API
 * ({@code POST /2010-04-01/Accounts/{Sid}/Messages.json} with a form body To/From/Body) for the outbox, and "update a
 * call" ({@code POST /2010-04-01/Accounts/{Sid}/Calls/{CallSid}.json}, form Url/Method or Twiml) for the console's
 * call control, "create a call" ({@code POST .../Calls.json}, form To/From/Url/StatusCallback) and "read calls"
 * ({@code GET .../Calls.json?To=...}) for escalation call-outs, and "read messages" ({@code GET .../Messages.json} with
 * To, From, {@code DateSent>=}, PageSize and Page, newest first, in pages with {@code next_page_uri}, as Twilio lists
 * them) for the outbox's look-up of an abandoned claim. What it answers to a POST is scripted per request
 * ({@link #script}; a list request takes a scripted answer only if {@link #scriptLookups} says so); it counts what it
 * accepted (201) by To and Body, and keeps the messages and calls it created.
 */
public final class FakeTwilio implements AutoCloseable {
    public static final String SID = "AC0123456789abcdef0123456789abcdef";
    public static final String FROM = "+4930555000";
    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\\.json");
    private static final Pattern CALL = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Calls/(CA[0-9a-f]{32})\\.json");
    private static final Pattern CALLS = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Calls\\.json");
    private static final java.time.format.DateTimeFormatter RFC2822 = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME;
    /** What Twilio says with its error codes. */
    private static final Map<Integer, String> ERRORS = Map.of(
            21220, "Call is not in-progress. Cannot redirect.",
            20404, "The requested resource was not found");

    /**
     * One answer: accepted ({@link #OK}: a message 201 with a fresh SID, a call update 200 with the call), an error
     * status with a JSON body, or no answer for {@code hangMillis}.
     */
    public record Answer(int status, Integer code, long hangMillis) {
        public static final Answer OK = new Answer(201, null, 0);

        public static Answer error(int status, Integer code) {
            return new Answer(status, code, 0);
        }

        public static Answer hang(long millis) {
            return new Answer(0, null, millis);
        }
    }

    /** A request as it arrived. */
    public record Received(String method, String path, String authorization, Map<String, String> form) {
    }

    /** A call it created: its SID, the form (To, From, Url, StatusCallback, Timeout) and when. */
    public record CreatedCall(String sid, Map<String, String> form, java.time.Instant at) {
        public String to() {
            return form.get("To");
        }
    }

    private final List<CreatedCall> calls = Collections.synchronizedList(new ArrayList<>());

    /** A message it accepted: its SID, the form (To, From, Body) and when. */
    public record CreatedMessage(String sid, Map<String, String> form, java.time.Instant at) {
    }

    private final List<CreatedMessage> messages = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean scriptLookups;

    /** Whether list requests for messages take the scripted answers too (by default they are always answered). */
    public void scriptLookups(boolean on) {
        scriptLookups = on;
    }

    /** How many times the messages were listed. */
    public long lookups() {
        return received().stream().filter(r -> r.method().equals("GET") && PATH.matcher(r.path()).matches()).count();
    }

    /** The calls created so far, oldest first. */
    public List<CreatedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(8);
    /** Released when the fake stops, so a request it holds unanswered does not hold up the shutdown. */
    private final java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);
    private final AtomicInteger sids = new AtomicInteger();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Answer> queue = new ConcurrentLinkedQueue<>();
    private volatile Function<Map<String, String>, Answer> rule = form -> Answer.OK;

    public FakeTwilio() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The settings of a server that sends its SMS through this stand-in, as account {@link #SID} from {@link #FROM}. */
    public Map<String, String> smsSettings(String authToken) {
        return Map.of(Config.TWILIO_ACCOUNT_SID, SID, Config.TWILIO_AUTH_TOKEN, authToken, Config.TWILIO_FROM, FROM,
                Config.TWILIO_API_URL, url().toString());
    }

    /** The next requests get these answers, in order; after them {@link #rule} decides. */
    public void script(Answer... answers) {
        queue.addAll(List.of(answers));
    }

    public void rule(Function<Map<String, String>, Answer> r) {
        rule = r;
    }

    public int accepted(String to, String body) {
        AtomicInteger n = accepted.get(to + "\u0000" + body);
        return n == null ? 0 : n.get();
    }

    /** Accepted messages by "To + NUL + Body". */
    public Map<String, Integer> acceptedAll() {
        Map<String, Integer> m = new LinkedHashMap<>();
        accepted.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = form(body);
            String path = x.getRequestURI().getPath();
            received.add(new Received(x.getRequestMethod(), path, x.getRequestHeaders().getFirst("Authorization"), form));
            Matcher m = PATH.matcher(path);
            Matcher call = CALL.matcher(path);
            Matcher create = CALLS.matcher(path);
            if ("GET".equals(x.getRequestMethod()) && create.matches()) {
                listCalls(x, create.group(1), form(x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery()));
                return;
            }
            if ("POST".equals(x.getRequestMethod()) && create.matches()) m = create;
            if ("GET".equals(x.getRequestMethod()) && m.matches()) {
                Answer a = scriptLookups ? queue.poll() : null;
                if (a != null && a.status() != 201) {
                    if (a.hangMillis() > 0) return; // closes without an answer
                    send(x, a.status(), "{\"code\":" + (a.code() == null ? 20500 : a.code())
                            + ",\"message\":\"Internal Server Error\",\"status\":" + a.status() + "}");
                    return;
                }
                listMessages(x, m.group(1), form(x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery()));
                return;
            }
            if (!"POST".equals(x.getRequestMethod()) || !m.matches() && !call.matches()) {
                send(x, 404, "{\"code\":20404,\"message\":\"The requested resource " + path + " was not found\",\"status\":404}");
                return;
            }
            Answer a = queue.poll();
            if (a == null) a = rule.apply(form);
            if (a.hangMillis() > 0) {
                try {
                    // a provider that does not answer: holds the request until the time is up or the fake stops
                    stopping.await(a.hangMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // closes without an answer
            }
            if (a.status() == 201 && call.matches()) {
                // an updated call is answered 200 with the call
                send(x, 200, "{\"sid\":\"" + call.group(2) + "\",\"account_sid\":\"" + call.group(1)
                        + "\",\"status\":\"in-progress\",\"direction\":\"inbound\",\"api_version\":\"2010-04-01\","
                        + "\"uri\":\"/2010-04-01/Accounts/" + call.group(1) + "/Calls/" + call.group(2) + ".json\"}");
            } else if (a.status() == 201 && create.matches()) {
                String sid = String.format("CA%032x", sids.incrementAndGet());
                CreatedCall c = new CreatedCall(sid, form, java.time.Instant.now());
                calls.add(c);
                send(x, 201, callJson(create.group(1), c));
            } else if (a.status() == 201) {
                String sid = String.format("SM%032x", sids.incrementAndGet());
                accepted.computeIfAbsent(form.get("To") + "\u0000" + form.get("Body"), k -> new AtomicInteger()).incrementAndGet();
                CreatedMessage created = new CreatedMessage(sid, form, java.time.Instant.now());
                messages.add(created);
                send(x, 201, messageJson(m.group(1), created));
            } else {
                String msg = a.code() != null && a.code() == 21211 ? "The 'To' number " + form.get("To") + " is not a valid phone number."
                        : a.code() != null && ERRORS.containsKey(a.code()) ? ERRORS.get(a.code())
                        : a.status() == 429 ? "Too Many Requests" : "Internal Server Error";
                send(x, a.status(), "{\"code\":" + (a.code() == null ? 20500 : a.code()) + ",\"message\":\"" + json(msg)
                        + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + a.code() + "\",\"status\":" + a.status() + "}");
            }
        }
    }

    private static String callJson(String account, CreatedCall c) {
        return "{\"sid\":\"" + c.sid() + "\",\"account_sid\":\"" + account + "\",\"to\":\"" + json(c.form().get("To"))
                + "\",\"from\":\"" + json(c.form().get("From")) + "\",\"status\":\"queued\",\"direction\":\"outbound-api\","
                + "\"date_created\":\"" + RFC2822.format(c.at().atZone(java.time.ZoneOffset.UTC)) + "\",\"api_version\":\"2010-04-01\","
                + "\"uri\":\"/2010-04-01/Accounts/" + account + "/Calls/" + c.sid() + ".json\"}";
    }

    /** Twilio's date format in the 2010 API (RFC 2822, as Twilio writes it). */
    private static final java.time.format.DateTimeFormatter TWILIO_DATE =
            java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US);

    private static String messageJson(String account, CreatedMessage c) {
        String date = TWILIO_DATE.format(c.at().atZone(java.time.ZoneOffset.UTC));
        return "{\"sid\":\"" + c.sid() + "\",\"account_sid\":\"" + account + "\",\"to\":\"" + json(c.form().get("To"))
                + "\",\"from\":\"" + json(c.form().get("From")) + "\",\"body\":\"" + json(c.form().get("Body"))
                + "\",\"status\":\"queued\",\"num_segments\":\"1\",\"direction\":\"outbound-api\","
                + "\"date_created\":\"" + date + "\",\"date_updated\":\"" + date + "\",\"date_sent\":null,"
                + "\"api_version\":\"2010-04-01\",\"uri\":\"/2010-04-01/Accounts/" + account + "/Messages/" + c.sid() + ".json\"}";
    }

    /** The messages matching To, From and {@code DateSent>=} (a day; a queued message has no DateSent), newest first. */
    private void listMessages(HttpExchange x, String account, Map<String, String> query) throws IOException {
        List<CreatedMessage> all;
        synchronized (messages) {
            all = new ArrayList<>(messages);
        }
        Collections.reverse(all);
        java.time.LocalDate sentOnOrAfter = query.containsKey("DateSent>") ? java.time.LocalDate.parse(query.get("DateSent>")) : null;
        List<CreatedMessage> match = new ArrayList<>();
        for (CreatedMessage c : all) {
            if (query.containsKey("To") && !query.get("To").equals(c.form().get("To"))) continue;
            if (query.containsKey("From") && !query.get("From").equals(c.form().get("From"))) continue;
            if (sentOnOrAfter != null) continue; // still queued: no DateSent to compare
            match.add(c);
        }
        int size = query.containsKey("PageSize") ? Math.max(1, Math.min(1000, Integer.parseInt(query.get("PageSize")))) : 50;
        int page = query.containsKey("Page") ? Integer.parseInt(query.get("Page")) : 0;
        int from = Math.min(match.size(), page * size);
        int to = Math.min(match.size(), from + size);
        String uri = "/2010-04-01/Accounts/" + account + "/Messages.json";
        String base = uri + "?" + (query.containsKey("To") ? "To=" + java.net.URLEncoder.encode(query.get("To"), StandardCharsets.UTF_8) + "&" : "")
                + (query.containsKey("From") ? "From=" + java.net.URLEncoder.encode(query.get("From"), StandardCharsets.UTF_8) + "&" : "")
                + "PageSize=" + size;
        StringBuilder sb = new StringBuilder("{\"messages\":[");
        for (int i = from; i < to; i++) sb.append(i == from ? "" : ",").append(messageJson(account, match.get(i)));
        sb.append("],\"end\":").append(Math.max(from, to - 1)).append(",\"first_page_uri\":\"").append(base).append("&Page=0\",")
                .append("\"next_page_uri\":").append(to < match.size() ? "\"" + base + "&Page=" + (page + 1) + "\"" : "null")
                .append(",\"page\":").append(page).append(",\"page_size\":").append(size)
                .append(",\"previous_page_uri\":").append(page > 0 ? "\"" + base + "&Page=" + (page - 1) + "\"" : "null")
                .append(",\"start\":").append(from).append(",\"uri\":\"").append(base).append("&Page=").append(page).append("\"}");
        send(x, 200, sb.toString());
    }

    private void listCalls(HttpExchange x, String account, Map<String, String> query) throws IOException {
        StringBuilder sb = new StringBuilder("{\"calls\":[");
        String sep = "";
        for (CreatedCall c : calls()) {
            if (query.containsKey("To") && !query.get("To").equals(c.to())) continue;
            sb.append(sep).append(callJson(account, c));
            sep = ",";
        }
        String uri = "/2010-04-01/Accounts/" + account + "/Calls.json";
        sb.append("],\"end\":0,\"first_page_uri\":\"").append(uri).append("\",\"next_page_uri\":null,\"page\":0,")
                .append("\"page_size\":50,\"previous_page_uri\":null,\"start\":0,\"uri\":\"").append(uri).append("\"}");
        send(x, 200, sb.toString());
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        if (body.isEmpty()) return m;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
