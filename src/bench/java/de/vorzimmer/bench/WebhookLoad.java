package de.vorzimmer.bench;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.calls.AsyncCallLog;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.store.Durability;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.store.Database;
import de.vorzimmer.twilio.MessageSink;
import de.vorzimmer.twilio.TwilioCallStore;
import de.vorzimmer.twilio.TwilioSettings;
import de.vorzimmer.twilio.TwilioWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load on the Twilio voice webhook, all on 127.0.0.1 in one JVM: signed {@code POST /twilio/voice} requests as
 * Twilio sends them (a fresh CallSid each, callers rotating through the demo book: a VIP, an unknown caller, an
 * anonymous one, a blocked one), answered with TwiML after signature check, routing, the call row committed to
 * SQLite and the call-log hand-off; beside a plain Vert.x route returning a static TwiML document of similar size
 * for the same form post, and the signed static fallback ({@code /twilio/fallback}: signature check only).
 * Each row runs for the same time with the same bounded number of client threads (JDK HttpClient, HTTP/1.1,
 * keep-alive), one after the other, after a warm-up of all three (client and server JIT alike).
 *
 * <p>The plain route and the voice webhook are measured in rounds, each round both, in alternating order; the ratio
 * is the median round's, as in the FastAGI and Asterisk benchmarks.
 *
 * <p>Usage: {@code WebhookLoad [concurrency=16] [seconds=10] [synchronous=full|normal] [rounds=3]}
 */
public final class WebhookLoad {
    private static final String TOKEN = "bench-auth-token-0123456789abcdef";
    private static final String ACCOUNT = "AC00000000000000000000000000000042";
    private static final String PUBLIC = "https://vz.example.com";
    private static final String[][] CALLS = {
            {"+49309876543", "+49301234567"}, // Labor Schmidt -> Müller (rule: screen, urgent; no Twilio secretary: record)
            {"+49301112222", "+49301234567"}, // unknown caller
            {"anonymous", "+49301234567"},   // anonymous
            {"+4990012345", "+49301234567"},  // blocked: reject
            {"+49405551234", "+49405551230"}, // Kanzlei Berg
    };
    private static final String PLAIN_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say language=\"de-DE\">"
            + "Zahnarztpraxis Dr. Müller, guten Tag. Leider ist gerade niemand erreichbar. Bitte hinterlassen Sie nach "
            + "dem Signalton eine Nachricht.</Say><Record action=\"https://vz.example.com/twilio/recording\" "
            + "finishOnKey=\"#\" maxLength=\"180\" method=\"POST\" playBeep=\"true\" timeout=\"5\"/><Say "
            + "language=\"de-DE\">Es wurde keine Nachricht aufgenommen. Auf Wiederhören.</Say><Hangup/></Response>";

    private WebhookLoad() {
    }

    /**
     * @param cpu       CPU µs per request by thread group over the row, this JVM's threads (server and client)
     * @param cpuKernel the kernel's part of it
     */
    record Result(String name, int round, long ok, long errors, double seconds, long[] latenciesNanos,
                  Map<String, Double> cpu, Map<String, Double> cpuKernel) {
        Result inRound(int r) {
            return new Result(name, r, ok, errors, seconds, latenciesNanos, cpu, cpuKernel);
        }

        double perSecond() {
            return ok / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) return Double.NaN;
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Durability durability = Durability.parse(args.length > 2 ? args[2] : "full");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (rounds < 1) throw new IllegalArgumentException("rounds " + rounds + " < 1");
        Path dir = Files.createTempDirectory("vz-webhook-bench");
        Clock clock = Clock.systemUTC();
        Database db = Database.open(dir.resolve("bench.db"), durability);
        BookStore books = new BookStore(db, new PinHasher());
        OverrideStore overrides = new OverrideStore(db);
        Snapshots snapshots = new Snapshots(books, overrides, new DutyStore(db));
        Book book;
        try (InputStream in = WebhookLoad.class.getResourceAsStream("/demo/book.yaml")) {
            book = BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), new PinHasher());
        }
        books.save(book, "bench", clock.instant());
        LiveRouting routing = new LiveRouting(snapshots.at(clock.instant()), clock);
        StoreWatcher watcher = new StoreWatcher(db, snapshots, routing, books.currentVersionId());
        AsyncCallLog callLog = new AsyncCallLog(db, new CallLogStore(db));
        Vertx vertx = BenchVertx.create();
        Router router = Router.router(vertx);
        TwilioCallStore calls = new TwilioCallStore(db);
        new TwilioWebhooks(vertx, new TwilioSettings(PUBLIC, TOKEN, ACCOUNT), routing, callLog, calls, MessageSink.into(new MessageStore(db), clock),
                new StatusService(overrides, new DutyStore(db), watcher::refresh), new OutboxStore(db)).mount(router);
        router.post("/plain/voice").handler(BodyHandler.create(false).setBodyLimit(TwilioWebhooks.MAX_BODY))
                .handler(ctx -> ctx.response().putHeader("content-type", "text/xml; charset=utf-8").end(PLAIN_TWIML));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        String local = "http://127.0.0.1:" + server.actualPort();

        int warmSeconds = Math.max(6, seconds);
        System.out.printf("== %d client threads, %d s per row after two %d s warm-ups of each route, %d rounds of plain and voice "
                        + "(order alternating), SQLite synchronous=%s, sockets on %s, %d cpus, %s%n",
                concurrency, seconds, warmSeconds, rounds, durability, BenchVertx.name(vertx), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        // warm-up, client and server JIT alike; the voice route has the most code to compile, so it goes last
        // one client for all rows, so that its threads (and their names, for the CPU table) stay the same
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        // two passes: after one, the JIT was still compiling the voice route through the first round (the C2 compiler
        // threads spent two thirds as much CPU as the event loops in the voice rows; the first round's voice / plain
        // was 0.39-0.49 in every run, the later rounds' 0.48-0.60)
        for (int pass = 0; pass < 2; pass++) {
            for (String path : List.of("/plain/voice", "/twilio/fallback", "/twilio/voice")) run(http, local, path, concurrency, warmSeconds);
        }
        List<Result> results = new ArrayList<>();
        List<double[]> perRound = new ArrayList<>(); // {plain, voice, voice / plain}
        for (int round = 1; round <= rounds; round++) {
            // alternating order: a machine that speeds up or slows down during the run favours neither
            boolean voiceFirst = round % 2 == 0;
            Result first = run(http, local, voiceFirst ? "/twilio/voice" : "/plain/voice", concurrency, seconds);
            Result second = run(http, local, voiceFirst ? "/plain/voice" : "/twilio/voice", concurrency, seconds);
            Result plain = voiceFirst ? second : first;
            Result voice = voiceFirst ? first : second;
            results.add(plain.inRound(round));
            results.add(voice.inRound(round));
            perRound.add(new double[] {plain.perSecond(), voice.perSecond(), voice.perSecond() / plain.perSecond()});
        }
        results.add(run(http, local, "/twilio/fallback", concurrency, seconds));
        System.out.println();
        System.out.println("| endpoint | what it does | round | requests/s | p50 ms | p99 ms | errors |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            String what = switch (r.name) {
                case "/plain/voice" -> "plain Vert.x route, static TwiML, no validation";
                case "/twilio/fallback" -> "signature check + static fallback TwiML";
                default -> "signature check, routing, call row committed, TwiML built";
            };
            System.out.printf("| `POST %s` | %s | %s | %,.0f | %.2f | %.2f | %d |%n", r.name, what,
                    r.round == 0 ? "-" : Integer.toString(r.round), r.perSecond(), r.percentileMillis(0.50),
                    r.percentileMillis(0.99), r.errors);
        }
        List<Result> plains = results.stream().filter(r -> r.name.equals("/plain/voice")).toList();
        List<Result> voices = results.stream().filter(r -> r.name.equals("/twilio/voice")).toList();
        System.out.println();
        double[] cpu = ThreadCpu.printTable("request", "plain", ThreadCpu.weighted(plains, Result::cpu, Result::ok),
                ThreadCpu.weighted(plains, Result::cpuKernel, Result::ok), "voice", ThreadCpu.weighted(voices, Result::cpu, Result::ok),
                ThreadCpu.weighted(voices, Result::cpuKernel, Result::ok));
        List<double[]> sorted = new ArrayList<>(perRound);
        sorted.sort(java.util.Comparator.comparingDouble(r -> r[2]));
        double[] median = sorted.get(sorted.size() / 2);
        System.out.printf("%nvoice / plain per round: %s (median %.2f)%n",
                perRound.stream().map(r -> String.format("%.2f", r[2])).toList(), median[2]);
        System.out.printf("RESULT webhooks.voice_per_s=%.0f webhooks.plain_per_s=%.0f webhooks.ratio=%.2f webhooks.ratio_min=%.2f "
                        + "webhooks.ratio_max=%.2f webhooks.rounds=%d webhooks.cpu_plain_us=%.0f webhooks.cpu_voice_us=%.0f%n",
                median[1], median[0], median[2], sorted.get(0)[2], sorted.get(sorted.size() - 1)[2], rounds, cpu[0], cpu[1]);
        long rows = db.read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM twilio_calls")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
        System.out.printf("%ncall rows committed: %,d%n", rows);
        vertx.close().await(10, TimeUnit.SECONDS);
        calls.close();
        callLog.close();
        db.close();
    }

    private static Result run(HttpClient http, String local, String path, int concurrency, int seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        // the load threads end with the row, before the second snapshot: each adds its own CPU when it is done
        AtomicLong loadCpu = new AtomicLong();
        AtomicLong loadKernel = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            long[][] box = new long[1][];
            Thread thread = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                Mac mac = mac();
                while (System.nanoTime() < end) {
                    long seq = sequence.incrementAndGet();
                    String[] call = CALLS[(int) (seq % CALLS.length)];
                    Map<String, String> form = incoming(String.format("CA%032x", seq + System.nanoTime()), call[0], call[1]);
                    String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                            .collect(Collectors.joining("&"));
                    HttpRequest req = HttpRequest.newBuilder(URI.create(local + path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Twilio-Signature", sign(mac, PUBLIC + path, form))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long dt = System.nanoTime() - t0;
                        if (r.statusCode() == 200 && r.body().contains("<Response")) {
                            ok.incrementAndGet();
                            if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                            lat[n++] = dt;
                        } else if (errors.incrementAndGet() == 1) {
                            System.err.println("first error on " + path + ": HTTP " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1) System.err.println("first client error on " + path + ": " + e);
                    }
                }
                long[] own = ThreadCpu.currentThread();
                loadCpu.addAndGet(own[0] + own[1]);
                loadKernel.addAndGet(own[1]);
                box[0] = Arrays.copyOf(lat, n);
                synchronized (perThread) {
                    perThread.add(box[0]);
                }
            }, "load-" + t);
            threads.add(thread);
        }
        ThreadCpu.Snapshot before = ThreadCpu.snapshot();
        long start = System.nanoTime();
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        ThreadCpu.Snapshot after = ThreadCpu.snapshot();
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Double> cpu = ThreadCpu.perCall(before.all(), after.all(), ok.get());
        Map<String, Double> kernel = ThreadCpu.perCall(before.kernel(), after.kernel(), ok.get());
        cpu.put("load", loadCpu.get() / 1000.0 / Math.max(1, ok.get()));
        kernel.put("load", loadKernel.get() / 1000.0 / Math.max(1, ok.get()));
        return new Result(path, 0, ok.get(), errors.get(), elapsed, all, cpu, kernel);
    }

    private static Map<String, String> incoming(String sid, String from, String to) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AccountSid", ACCOUNT);
        f.put("ApiVersion", "2010-04-01");
        f.put("CallSid", sid);
        f.put("CallStatus", "ringing");
        f.put("Direction", "inbound");
        f.put("From", from);
        f.put("Caller", from);
        f.put("To", to);
        f.put("Called", to);
        f.put("FromCountry", "DE");
        f.put("ToCountry", "DE");
        return f;
    }

    private static Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Twilio's signature: HMAC-SHA1 over the URL and the sorted form fields, Base64. */
    private static String sign(Mac mac, String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> e : new TreeMap<>(form).entrySet()) data.append(e.getKey()).append(e.getValue());
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
