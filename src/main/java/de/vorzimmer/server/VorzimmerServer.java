package de.vorzimmer.server;

import de.vorzimmer.asterisk.AsteriskLive;
import de.vorzimmer.asterisk.CallbackApi;
import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.FastAgiService;
import de.vorzimmer.asterisk.GreetingSounds;
import de.vorzimmer.asterisk.PhoneInScript;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.asterisk.Speech;
import de.vorzimmer.asterisk.TypedSpeech;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.CallFeed;
import de.vorzimmer.console.ConsoleApi;
import de.vorzimmer.console.ConsoleAuth;
import de.vorzimmer.console.HttpApi;
import de.vorzimmer.console.LoginThrottle;
import de.vorzimmer.console.MessagesApi;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.console.Role;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.ApiTokenStore;
import de.vorzimmer.store.CallChoiceStore;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.PhoneInStore;
import de.vorzimmer.store.SessionStore;
import de.vorzimmer.store.UserStore;
import de.vorzimmer.store.Store;
import de.vorzimmer.notify.RedirectingHttpClient;
import de.vorzimmer.twilio.PhoneInRoutes;
import de.vorzimmer.twilio.TwilioCallControl;
import de.vorzimmer.twilio.TwilioCallStore;
import de.vorzimmer.twilio.TwilioSettings;
import de.vorzimmer.twilio.TwilioWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the store, builds the routing snapshot, and starts the HTTP API, the FastAGI
 * server and the store watcher. The one place where dependencies are created and wired.
 */
public final class VorzimmerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VorzimmerServer.class);
    public static final String DEMO_BOOK = "/demo/book.yaml";
    /** The console password of every demo login ({@code serve --demo}); documented in docs/console.md. */
    public static final String DEMO_PASSWORD = "vorzimmer-demo";
    public static final String ADMIN_USER = "admin";

    private final Config config;
    private final Store store;
    private final Vertx vertx;
    private final HttpServer http;
    private final FastAgiService agi;
    private final AsteriskLive asterisk;
    private final AsyncCallLog callLog;
    private final LiveRouting routing;
    private final long watchTimer;
    private final ConsoleAuth consoleAuth;
    private final String consoleNote;
    private Router httpRouter;
    private Messaging messaging;
    private Housekeeping housekeeping;

    private VorzimmerServer(Config config, Store store, Vertx vertx, HttpServer http, FastAgiService agi,
                            AsteriskLive asterisk, AsyncCallLog callLog, LiveRouting routing, long watchTimer, ConsoleAuth consoleAuth,
                            String consoleNote) {
        this.config = config;
        this.store = store;
        this.vertx = vertx;
        this.http = http;
        this.agi = agi;
        this.asterisk = asterisk;
        this.callLog = callLog;
        this.routing = routing;
        this.watchTimer = watchTimer;
        this.consoleAuth = consoleAuth;
        this.consoleNote = consoleNote;
    }

    /**
     * Starts everything and returns when all listeners are bound.
     *
     * @param demo load the sample book into the store if it holds none yet
     */
    public static VorzimmerServer start(Config config, boolean demo, Clock clock) throws Exception {
        LOG.info("starting with {}", config.describe());
        Store store = Store.open(config.path(Config.DB), Durability.parse(config.string(Config.DB_SYNC)), new PinHasher());
        Vertx vertx = null;
        AsyncCallLog callLog = null;
        Messaging messaging = null;
        FastAgiService agi = null;
        AsteriskLive asterisk = null;
        try {
            Instant now = clock.instant();
            // the version id, not the book: a stored book is read once, by the snapshot below
            if (demo && store.books().currentVersionId() == 0) {
                Book book = BookLoader.load(demoBookText(), new PinHasher());
                store.books().save(book, "demo", now);
                LOG.info("demo: sample book stored ({} clients)", book.clients().size());
            }
            long bookVersion = store.books().currentVersionId();
            LiveRouting routing = new LiveRouting(store.snapshots().at(now), clock);
            callLog = new AsyncCallLog(store.database(), store.calls());
            StoreWatcher watcher = new StoreWatcher(store, routing, bookVersion);
            watcher.poll();

            vertx = Vertx.vertx();
            Vertx events = vertx;
            SessionStore sessions = new SessionStore(store.database());
            LoginThrottle loginThrottle = new LoginThrottle(new LoginThrottle.Limits(
                    config.integer(Config.CONSOLE_LOGIN_MAX_FAILURES, 0, Integer.MAX_VALUE),
                    config.integer(Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, 0, Integer.MAX_VALUE),
                    config.duration(Config.CONSOLE_LOGIN_WINDOW), LoginThrottle.MAX_ENTRIES));
            ConsoleAuth consoleAuth = new ConsoleAuth(new UserStore(store.database()), sessions,
                    new ApiTokenStore(store.database()), new PinHasher(ConsoleAuth.PASSWORD_ITERATIONS), loginThrottle,
                    alert -> events.eventBus().publish(CallFeed.ALERTS, alert), clock);
            String consoleNote = bootstrapConsole(config, demo, consoleAuth, routing);
            Router router = Router.router(vertx);
            // HttpApi first: it puts the auth guard in front of /api/v1/* before any API route is mounted.
            new HttpApi(routing, callLog, new AuthHandler(vertx, consoleAuth)).mount(router);
            CallFeed callFeed = new CallFeed(vertx, routing, store.messages());
            new ConsoleApi(vertx, consoleAuth, routing, store.books(), store.overrides(),
                    new CallChoiceStore(store.database()), new PinHasher(), watcher::refresh, callFeed,
                    config.bool(Config.HTTP_SECURE_COOKIES)).mount(router);
            // AMI (live call state on the event bus, missed calls, device state, callbacks) and the recordings import
            Vertx bus = vertx;
            Messaging started = Messaging.start(config, store, () -> routing.snapshot().book().book(), clock);
            messaging = started;
            asterisk = AsteriskLive.start(config, store, routing, started.desk(),
                    (address, body) -> bus.eventBus().publish(address, body), watcher::refresh);
            new CallbackApi(asterisk).mount(router);
            if (config.has(Config.AMI_HOST)) {
                // the console's put-through / voicemail buttons: the PBX moves the ringing call
                AsteriskLive pbx = asterisk;
                vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(ConsoleApi.CHOICE_ADDRESS, msg ->
                        pbx.carryOut(msg.body().getString("callId", ""), msg.body().getString("choice", ""))
                                .whenComplete((done, e) -> {
                                    if (e == null) {
                                        msg.reply(new io.vertx.core.json.JsonObject().put("done", done));
                                    } else {
                                        Throwable cause = e instanceof java.util.concurrent.CompletionException c
                                                && c.getCause() != null ? c.getCause() : e;
                                        LOG.warn("call {}: choice {} not carried out: {}", msg.body().getString("callId"),
                                                msg.body().getString("choice"), cause.getMessage());
                                        msg.fail(409, String.valueOf(cause.getMessage()));
                                    }
                                }));
            }
            // the client phone-in line (FastAGI script "phonein", /twilio/phonein): overrides go live at once
            PhoneInLine phoneIn = new PhoneInLine(routing, store.overrides(), store.messages(),
                    new PhoneInStore(store.database()), new PinHasher(), watcher::refresh,
                    (address, body) -> bus.eventBus().publish(address, body));
            // messages: desk (group commit + urgent SMS in the same transaction), outbox worker, API under the guard
            new MessagesApi(vertx, started.desk(), store.messages(), store.outbox(), clock, MessagesApi.OPEN).mount(router);
            mountTwilio(config, vertx, router, routing, callLog, store, watcher, clock, started.desk());
            mountPhoneIn(config, vertx, router, phoneIn, store);
            HttpServer http;
            try {
                http = vertx.createHttpServer()
                        .requestHandler(router)
                        .listen(config.port(Config.HTTP_PORT, true), config.string(Config.HTTP_HOST))
                        .await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("HTTP cannot listen on " + config.string(Config.HTTP_HOST) + ":"
                        + config.string(Config.HTTP_PORT) + ": " + e.getMessage(), e);
            }

            DialStrings dial = new DialStrings(config.string(Config.REACH_DIAL));
            Speech speech = config.has(Config.RECORDINGS)
                    ? Speech.in(Path.of(config.string(Config.RECORDINGS)).resolve("tts")) : Speech.none();
            GreetingSounds greetings = GreetingSounds.none();
            if (config.has(Config.RECORDINGS)) {
                // greetings for the message stage: recorded ones from <recordings>/greetings, else spoken, off the call
                WorkerExecutor speechWorker = vertx.createSharedWorkerExecutor("vorzimmer-speech", 1);
                java.util.concurrent.Executor renderer = r -> speechWorker.executeBlocking(() -> {
                    r.run();
                    return null;
                }, true);
                greetings = GreetingSounds.in(Path.of(config.string(Config.RECORDINGS)).resolve("greetings"), speech, renderer);
                int prepared = 0;
                for (var entry : routing.snapshot().book().clients()) {
                    if (prepared++ == GreetingSounds.PREPARE_AT_START) break;
                    greetings.prepare(entry.client(), entry.client().language());
                }
                if (speech.available()) {
                    // a typed message's speech is rendered when it is stored, not while its client listens on the line
                    started.desk().afterStore(new TypedSpeech(speech::speak,
                            id -> Optional.ofNullable(routing.snapshot().book().client(id)).map(e -> e.client().language()),
                            renderer));
                }
            }
            Map<String, AgiScript> scripts = Map.of("route", new RouteScript(routing, callLog, dial, greetings),
                    "phonein", new PhoneInScript(phoneIn, PromptCatalogue.standard(), speech));
            agi = FastAgiService.start(config.string(Config.AGI_HOST), config.port(Config.AGI_PORT, true), scripts, 16);

            Vertx v = vertx;
            long timer = vertx.setPeriodic(1_000, id -> v.executeBlocking(() -> {
                watcher.poll();
                return null;
            }, false).onFailure(e -> LOG.warn("store watch failed: {}", e.getMessage())));
            // retention: expired sessions, old call rows, logs and notifications (docs/operations.md)
            Housekeeping housekeeping = new Housekeeping(store, sessions, new PhoneInStore(store.database()),
                    new CallChoiceStore(store.database()), Housekeeping.Periods.from(config), clock);
            housekeeping.start(vertx, config.duration(Config.HOUSEKEEPING_INTERVAL));
            vertx.setPeriodic(30_000, id -> v.executeBlocking(() -> started.digests().runOnce(), false)
                    .onFailure(e -> LOG.warn("digest scheduling failed: {}", e.getMessage())));
            VorzimmerServer server = new VorzimmerServer(config, store, vertx, http, agi, asterisk, callLog, routing, timer,
                    consoleAuth, consoleNote);
            server.httpRouter = router;
            server.messaging = started;
            server.housekeeping = housekeeping;
            return server;
        } catch (Exception | Error e) {
            if (agi != null) agi.close();
            if (asterisk != null) asterisk.close();
            if (vertx != null) vertx.close();
            if (messaging != null) messaging.close();
            if (callLog != null) callLog.close();
            store.close();
            throw e;
        }
    }

    /**
     * Creates the console admin while none exists: with {@code console.admin-password}, or in demo mode with
     * {@link #DEMO_PASSWORD} (plus a login per book secretary). Returns a line for the operator.
     */
    static String bootstrapConsole(Config config, boolean demo, ConsoleAuth auth, LiveRouting routing) {
        String password = config.string(Config.CONSOLE_ADMIN_PASSWORD);
        if (password != null && !password.isBlank()) {
            auth.bootstrapAdmin(ADMIN_USER, password);
        } else if (demo && auth.bootstrapAdmin(ADMIN_USER, DEMO_PASSWORD)) {
            for (var s : routing.snapshot().book().secretaries()) {
                if (auth.users().get(s.id()).isEmpty()) {
                    auth.setUser(s.id(), Role.SECRETARY, s.id(), s.name(), DEMO_PASSWORD, false);
                }
            }
        }
        if (demo && auth.users().get(ADMIN_USER).isPresent()) {
            return "console /console/ (demo logins: admin and each secretary id, password '" + DEMO_PASSWORD
                    + "' unless console.admin-password is set)";
        }
        if (!auth.users().anyAdmin()) {
            LOG.warn("console: no admin yet; set console.admin-password (or VORZIMMER_CONSOLE_ADMIN_PASSWORD)");
            return "console /console/ (no admin: set console.admin-password)";
        }
        return "console /console/";
    }

    /** The Twilio webhooks under /twilio/, when an auth token and the public URL are configured. */
    private static void mountTwilio(Config config, Vertx vertx, Router router, LiveRouting routing, AsyncCallLog callLog,
                                    Store store, StoreWatcher watcher, Clock clock, MessageDesk desk) {
        if (!config.has(Config.TWILIO_AUTH_TOKEN) || !config.has(Config.TWILIO_PUBLIC_URL)) {
            LOG.info("twilio: webhooks off (set {} and {})", Config.TWILIO_AUTH_TOKEN, Config.TWILIO_PUBLIC_URL);
            return;
        }
        TwilioSettings settings;
        try {
            settings = new TwilioSettings(config.string(Config.TWILIO_PUBLIC_URL), config.string(Config.TWILIO_AUTH_TOKEN),
                    config.string(Config.TWILIO_ACCOUNT_SID));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.TWILIO_PUBLIC_URL + ": " + e.getMessage());
        }
        TwilioCallStore twilioCalls = new TwilioCallStore(store.database());
        new TwilioWebhooks(vertx, settings, routing, callLog, twilioCalls,
                m -> desk.take(m).id(), store.overrides(), watcher::refresh).mount(router);
        LOG.info("twilio: webhooks at {}/twilio/voice (fallback {}/twilio/fallback)", settings.publicUrl(),
                settings.publicUrl());
        if (config.has(Config.TWILIO_ACCOUNT_SID)) {
            // the console's buttons on Twilio calls: choices for CallSids come to their own address (see ConsoleApi)
            URI api = config.has(Config.TWILIO_API_URL) ? URI.create(config.string(Config.TWILIO_API_URL)) : null;
            TwilioCallControl control = new TwilioCallControl(vertx, settings, routing, twilioCalls,
                    RedirectingHttpClient.restClient(config.string(Config.TWILIO_ACCOUNT_SID),
                            config.string(Config.TWILIO_AUTH_TOKEN), api, TwilioCallControl.REST_TIMEOUT),
                    TwilioCallControl.REPLY_WITHIN);
            vertx.eventBus().consumer(ConsoleApi.TWILIO_CHOICE_ADDRESS, control);
            LOG.info("twilio: console choices redirect live calls through the REST API{}", api == null ? "" : " at " + api);
        } else {
            LOG.info("twilio: console choices on Twilio calls are recorded only (set {})", Config.TWILIO_ACCOUNT_SID);
        }
    }

    /**
     * The phone-in line's Twilio routes ({@code /twilio/phonein}), when the webhooks are on. Called after
     * {@link #mountTwilio}: its {@code /twilio/*} signature filter then covers these routes too.
     */
    private static void mountPhoneIn(Config config, Vertx vertx, Router router, PhoneInLine phoneIn, Store store) {
        if (!config.has(Config.TWILIO_AUTH_TOKEN) || !config.has(Config.TWILIO_PUBLIC_URL)) return;
        TwilioSettings settings = new TwilioSettings(config.string(Config.TWILIO_PUBLIC_URL),
                config.string(Config.TWILIO_AUTH_TOKEN), config.string(Config.TWILIO_ACCOUNT_SID));
        new PhoneInRoutes(vertx, settings, phoneIn, new PhoneInStore(store.database()), PromptCatalogue.standard())
                .mount(router);
        LOG.info("twilio: phone-in line at {}{}", settings.publicUrl(), PhoneInRoutes.START);
    }

    static String demoBookText() throws IOException {
        try (InputStream in = VorzimmerServer.class.getResourceAsStream(DEMO_BOOK)) {
            if (in == null) throw new IOException("demo book " + DEMO_BOOK + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public int httpPort() {
        return http.actualPort();
    }

    public int agiPort() {
        return agi.port();
    }

    public LiveRouting routing() {
        return routing;
    }

    public Store store() {
        return store;
    }

    public AsteriskLive asterisk() {
        return asterisk;
    }

    public Vertx vertx() {
        return vertx;
    }

    public ConsoleAuth consoleAuth() {
        return consoleAuth;
    }

    /** The job that deletes what has aged out of the database. */
    public Housekeeping housekeeping() {
        return housekeeping;
    }

    /** The HTTP router with every route mounted (tests walk it to check that each API route is guarded). */
    public Router httpRouter() {
        return httpRouter;
    }

    /** One line for the operator: where the server listens and what it serves. */
    public String describe() {
        var book = routing.snapshot().book().book();
        return "vorzimmer: listening http://" + config.string(Config.HTTP_HOST) + ":" + httpPort()
                + " (GET /health, POST /api/v1/route, " + consoleNote + "), FastAGI agi://" + config.string(Config.AGI_HOST) + ":"
                + agiPort() + "/route; db " + store.database().file() + "; book: " + book.clients().size()
                + " clients, " + book.secretaries().size() + " secretaries";
    }

    @Override
    public void close() {
        vertx.cancelTimer(watchTimer);
        if (housekeeping != null) housekeeping.close();
        agi.close();
        asterisk.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not stop cleanly: {}", e.getMessage());
        }
        if (messaging != null) messaging.close();
        callLog.close();
        store.close();
        LOG.info("stopped");
    }
}
