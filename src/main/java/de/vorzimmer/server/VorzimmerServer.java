package de.vorzimmer.server;

import de.vorzimmer.asterisk.AsteriskCallOut;
import de.vorzimmer.asterisk.AsteriskLive;
import de.vorzimmer.asterisk.CallOutScript;
import de.vorzimmer.asterisk.CallMessages;
import de.vorzimmer.asterisk.CallbackResult;
import de.vorzimmer.asterisk.CallbackApi;
import de.vorzimmer.asterisk.DevicePresence;
import de.vorzimmer.asterisk.GreetingSounds;
import de.vorzimmer.asterisk.PhoneInScript;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.asterisk.Speech;
import de.vorzimmer.asterisk.TypedSpeech;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.PinKeys;
import de.vorzimmer.book.PinPepper;
import de.vorzimmer.calendar.AppointmentBooker;
import de.vorzimmer.calendar.CalendarStore;
import de.vorzimmer.calendar.CalendarSync;
import de.vorzimmer.calendar.FeedFetcher;
import de.vorzimmer.calls.AsyncCallLog;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.calls.CallChoices;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.cluster.BusBridge;
import de.vorzimmer.cluster.HolderRequests;
import de.vorzimmer.cluster.LeaseStore;
import de.vorzimmer.cluster.Leases;
import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.console.ApiTokenStore;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.CalendarApi;
import de.vorzimmer.console.CallFeed;
import de.vorzimmer.console.CallHistory;
import de.vorzimmer.console.DeskApi;
import de.vorzimmer.console.EscalationApi;
import de.vorzimmer.console.RecordingApi;
import de.vorzimmer.console.UsageApi;
import de.vorzimmer.console.ConsoleApi;
import de.vorzimmer.console.ConsoleAuth;
import de.vorzimmer.console.HttpApi;
import de.vorzimmer.console.LoginThrottle;
import de.vorzimmer.console.MessagesApi;
import de.vorzimmer.console.Role;
import de.vorzimmer.console.SessionStore;
import de.vorzimmer.console.UserStore;
import de.vorzimmer.escalation.Escalations;
import de.vorzimmer.mail.Recordings;
import de.vorzimmer.mail.SmtpMailer;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.notify.Channel;
import de.vorzimmer.notify.Delivery;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.notify.RedirectingHttpClient;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.store.Database;
import de.vorzimmer.twilio.CallOutRoutes;
import de.vorzimmer.twilio.MessageSink;
import de.vorzimmer.twilio.PhoneInRoutes;
import de.vorzimmer.usage.CallTimes;
import de.vorzimmer.usage.CallTimesRecorder;
import de.vorzimmer.usage.UsageCounter;
import de.vorzimmer.twilio.TwilioCallControl;
import de.vorzimmer.twilio.TwilioCallOut;
import de.vorzimmer.twilio.TwilioCallStore;
import de.vorzimmer.twilio.TwilioSettings;
import de.vorzimmer.twilio.TwilioWebhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root, read top to bottom: the settings (the only place that reads {@link Config}), the database
 * and the features on it, the adapters that translate the PBXs, Twilio and the console into the features, and the
 * verticles that serve them, deployed in order (HTTP, FastAGI, background jobs). The one place where dependencies
 * are created and wired; {@link #close} stops everything in the reverse order.
 */
public final class VorzimmerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VorzimmerServer.class);
    public static final String DEMO_BOOK = "/demo/book.yaml";
    /** The console password of every demo login ({@code serve --demo}); documented in docs/console.md. */
    public static final String DEMO_PASSWORD = "vorzimmer-demo";
    public static final String ADMIN_USER = "admin";
    /** The leases of the once-only work (see {@link Leases}); each PBX has one of its own, named after its AMI address. */
    public static final String OUTBOX_LEASE = "outbox";
    public static final String DIGESTS_LEASE = "digests";
    public static final String HOUSEKEEPING_LEASE = "housekeeping";
    public static final String CALENDARS_LEASE = "calendars";
    private static final Leases.Owner NO_OWNER = new Leases.Owner() {
        @Override
        public void gained() {
        }

        @Override
        public void lost() {
        }
    };

    private final ServerSettings settings;
    private final Database database;
    private final Vertx vertx;
    private final HttpVerticle http;
    private final FastAgiServer agi;
    private final AsteriskLive asterisk;
    private final LiveRouting routing;
    private final ConsoleAuth consoleAuth;
    private final Housekeeping housekeeping;
    private final CalendarSync calendars;
    private final Escalations escalations;
    private final Router httpRouter;
    private final String consoleNote;
    /** The writers and the database, which {@link #close} closes newest first once nothing can call them any more. */
    private final Deque<AutoCloseable> writers;
    private final Leases leases;

    private VorzimmerServer(Wiring w) {
        this.settings = w.settings;
        this.database = w.database;
        this.vertx = w.vertx;
        this.http = w.http;
        this.agi = w.agi;
        this.asterisk = w.asterisk;
        this.routing = w.routing;
        this.consoleAuth = w.consoleAuth;
        this.housekeeping = w.housekeeping;
        this.calendars = w.calendars;
        this.escalations = w.escalations;
        this.httpRouter = w.router;
        this.consoleNote = w.consoleNote;
        this.writers = w.writers;
        this.leases = w.leases;
    }

    /** What {@link #start} has built so far; on a failure all of it is stopped again. */
    private static final class Wiring {
        final Deque<AutoCloseable> writers = new ArrayDeque<>();
        ServerSettings settings;
        Database database;
        Vertx vertx;
        Router router;
        HttpVerticle http;
        /** Volatile: the metrics' gauge reads it from a scrape that may come before FastAGI listens. */
        volatile FastAgiServer agi;
        AsteriskLive asterisk;
        LiveRouting routing;
        ConsoleAuth consoleAuth;
        Housekeeping housekeeping;
        CalendarSync calendars;
        Leases leases;
        Escalations escalations;
        String consoleNote;

        <T extends AutoCloseable> T open(T resource) {
            writers.push(resource);
            return resource;
        }
    }

    /**
     * Starts everything and returns when all listeners are bound.
     *
     * @param demo load the sample book into the store if it holds none yet
     */
    public static VorzimmerServer start(Config config, boolean demo, Clock clock) throws Exception {
        ServerSettings settings = ServerSettings.from(config);
        // a port in use stops the start before anything is made on disk
        Ports.requireFree(Config.HTTP_PORT, settings.httpHost(), settings.httpPort());
        Ports.requireFree(Config.AGI_PORT, settings.agiHost(), settings.agiPort());
        LOG.info("starting with {}", config.describe());
        Wiring w = new Wiring();
        w.settings = settings;
        try {
            wire(w, demo, clock);
            return new VorzimmerServer(w);
        } catch (Exception | Error e) {
            stop(w.asterisk, w.leases, w.vertx, w.writers);
            throw e;
        }
    }

    private static void wire(Wiring w, boolean demo, Clock clock) throws Exception {
        ServerSettings s = w.settings;
        // ---- the database and the features on it
        PinHasher pins = new PinHasher().withPepper(pinPepper(s.pinPepperFile()));
        Database database = w.open(Database.open(s.db(), s.durability()));
        w.database = database;
        // once-only work (the outbox, digests, housekeeping, each PBX) runs where its lease is held: on a database of
        // its own this node holds them all from the start; nodes sharing PostgreSQL hand them over (cluster.Leases)
        Leases leases = w.open(new Leases(new LeaseStore(database), s.node(), Clock.systemUTC(), Leases.Timing.STANDARD));
        w.leases = leases;
        leases.register(OUTBOX_LEASE, NO_OWNER);
        leases.register(DIGESTS_LEASE, NO_OWNER);
        leases.register(HOUSEKEEPING_LEASE, NO_OWNER);
        BookStore books = new BookStore(database, pins);
        OverrideStore overrides = new OverrideStore(database);
        DutyStore duty = new DutyStore(database);
        MessageStore messageStore = new MessageStore(database);
        OutboxStore outbox = new OutboxStore(database, MessageStore.NOTIFIED_WHEN_SENT);
        CallLogStore callLogStore = new CallLogStore(database);
        PhoneInStore phoneInStore = new PhoneInStore(database);
        CallChoiceStore choices = new CallChoiceStore(database);
        Snapshots snapshots = new Snapshots(books, overrides, duty);
        if (demo) storeDemoBook(books, pins, clock.instant());
        rekeyPins(books, pins, clock.instant());

        LiveRouting routing = new LiveRouting(snapshots.at(clock.instant()), clock);
        w.routing = routing;
        StoreWatcher watcher = new StoreWatcher(database, snapshots, routing, books.currentVersionId());
        watcher.poll();
        StatusService status = new StatusService(overrides, duty, watcher::refresh);
        AsyncCallLog callLog = w.open(new AsyncCallLog(database, callLogStore, s.operator().callLogLevel()));
        if (s.messaging().sender() == null) {
            // expected of the demo; a warning where a firm runs without an SMS account
            String text = "SMS outbox: not sending; queued SMS wait until twilio.account-sid, twilio.auth-token and twilio.from are set";
            if (demo) LOG.info(text);
            else LOG.warn(text);
        }
        ServerMetrics metrics = w.open(ServerMetrics.create(s.operator()));
        Vertx vertx = metrics.vertx();
        w.vertx = vertx;
        logTransport(vertx, s.operator().nativeTransport());
        if (database.shared()) shareWithOtherNodes(w, watcher);
        // urgent messages climb their client's on-call list until someone confirms them (docs/messages.md); every
        // step is an outbox row, carried out by the outbox worker with the SMS and the e-mails
        Escalations escalations = new Escalations(database, messageStore, () -> routing.snapshot().book().book(), clock,
                s.messaging().giveUpAfter(), s.escalation().callMax());
        w.escalations = escalations;
        messageStore.hooks(escalations.hooks());
        SmtpMailer mailer = s.mail() == null ? null : w.open(mailer(s.mail(), vertx, outbox, messageStore, routing, clock));
        if (mailer == null) LOG.info("e-mail: off (set mail.host and mail.from)");
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        if (s.messaging().sender() != null) channels.add(Channel.SMS);
        if (mailer != null) channels.add(Channel.EMAIL);
        if (s.escalation().viaTwilio() || s.asterisk().ami() != null) channels.add(Channel.CALL);
        Delivery delivery = escalations.delivery(s.messaging().sender() == null ? null
                : Delivery.sms(s.messaging().sender()), mailer);
        Messaging messaging = w.open(Messaging.start(s.messaging().withDelivery(delivery, channels), database,
                messageStore, outbox, () -> routing.snapshot().book().book(), clock, () -> leases.held(OUTBOX_LEASE)));
        escalations.onQueued(messaging::wake);
        if (!channels.contains(Channel.CALL)) {
            LOG.info("escalation: no call-outs (set ami.host, or twilio.account-sid, auth-token, public-url and from);"
                    + " urgent messages are sent by SMS and wait for a confirmation");
        }
        PhoneInLine phoneIn = new PhoneInLine(routing, status, messageStore, phoneInStore, pins,
                (address, body) -> vertx.eventBus().publish(address, body));
        Speech speech = s.recordings() != null ? Speech.in(s.recordings().resolve("tts")) : Speech.none();
        GreetingSounds greetings = GreetingSounds.none();
        if (s.recordings() != null) {
            // greetings for the message stage: recorded ones from <recordings>/greetings, else spoken, off the call
            WorkerExecutor speechWorker = vertx.createSharedWorkerExecutor("vorzimmer-speech", 1);
            Executor renderer = r -> speechWorker.executeBlocking(() -> {
                r.run();
                return null;
            }, true);
            greetings = GreetingSounds.in(s.recordings().resolve("greetings"), speech, renderer);
            int prepared = 0;
            for (var entry : routing.snapshot().book().clients()) {
                if (prepared++ == GreetingSounds.PREPARE_AT_START) break;
                greetings.prepare(entry.client(), entry.client().language());
            }
            if (speech.available()) {
                // a typed message's speech is rendered when it is stored, not while its client listens on the line
                messaging.desk().afterStore(new TypedSpeech(speech::speak,
                        id -> Optional.ofNullable(routing.snapshot().book().client(id)).map(e -> e.client().language()),
                        renderer));
            }
        }

        // ---- adapters: the console and its API
        SessionStore sessions = new SessionStore(database);
        ConsoleAuth consoleAuth = new ConsoleAuth(new UserStore(database), sessions, new ApiTokenStore(database),
                new PinHasher(ConsoleAuth.PASSWORD_ITERATIONS), new LoginThrottle(s.loginLimits()),
                alert -> vertx.eventBus().publish(CallFeed.ALERTS, alert), clock);
        w.consoleAuth = consoleAuth;
        w.consoleNote = bootstrapConsole(s.adminPassword(), demo, consoleAuth, routing);
        Router router = Router.router(vertx);
        w.router = router;
        // HttpApi first: it puts the auth guard in front of /api/v1/* before any API route is mounted.
        new HttpApi(routing, new AuthHandler(vertx, consoleAuth)).mount(router);
        CallFeed callFeed = new CallFeed(vertx, routing, messageStore, callLogStore, new CallHistory(database));
        new ConsoleApi(vertx, consoleAuth, routing, books, status, choices, pins, watcher::refresh, callFeed,
                s.secureCookies()).mount(router);
        new MessagesApi(vertx, messaging.desk(), messageStore, outbox, clock).mount(router);
        // duty and the page's settings, the inbox's recordings, the usage report and the call times it counts
        new DeskApi(vertx, routing, status, s.messaging().sender() != null).mount(router);
        new RecordingApi(vertx, messageStore, s.recordings(), s.twilioRecordings()).mount(router);
        new UsageApi(vertx, new UsageCounter(database), () -> routing.snapshot().book().book(), s.usageStep(), clock)
                .mount(router);
        new CallTimesRecorder(vertx, new CallTimes(database), clock);
        // the escalation chains: who was tried, who confirmed; the secretary's stop and restart
        new EscalationApi(vertx, escalations).mount(router);
        // calendars and holidays: fetched in the background into the store; decisions read views in the snapshot
        w.calendars = startCalendars(w, routing, outbox);

        // ---- adapters: Asterisk (AMI: live call state, missed calls, device state, callbacks; recordings)
        AsteriskLive asterisk = AsteriskLive.standby(s.asterisk(), routing,
                new CallMessages(messageStore, books, overrides, routing, messaging.desk()), new DevicePresence(routing, status),
                (address, body) -> vertx.eventBus().publish(address, body));
        w.asterisk = asterisk;
        new CallbackApi(asterisk).mount(router);
        followPbx(w, asterisk);
        // every lease is registered now: the first round takes what is free (a node on its own database: all of it), so
        // the once-only work (the calendars' first fetches, the PBX's follower) starts with the server
        leases.start();

        // ---- escalation call-outs: through Twilio when it can place calls, else Asterisk's Originate
        if (s.escalation().viaTwilio()) {
            ServerSettings.TwilioRest rest = s.twilioRest();
            escalations.callOut(new TwilioCallOut(RedirectingHttpClient.restClient(rest.accountSid(), rest.authToken(),
                    rest.apiUrl(), s.escalation().restTimeout()), s.twilio(), s.escalation().twilioFrom()));
            LOG.info("escalation: call-outs through Twilio");
        } else if (s.asterisk().ami() != null) {
            escalations.callOut(new AsteriskCallOut(asterisk, escalations, clock));
            LOG.info("escalation: call-outs through Asterisk (Originate via vorzimmer-reach)");
        }

        // ---- adapters: Twilio (voice and SMS webhooks, the console's choices, the phone-in line)
        if (s.twilio() != null) {
            mountTwilio(w, routing, metrics.decisions(callLog, "twilio", clock), status, messaging, outbox, phoneIn,
                    phoneInStore, escalations);
        }
        else LOG.info("twilio: webhooks off (set twilio.auth-token and twilio.public-url)");

        // ---- serve: HTTP, FastAGI, then the timers
        Map<String, FastAgiScript> scripts = Map.of(
                "route", new RouteScript(routing, metrics.decisions(callLog, "asterisk", clock), s.asterisk().dial(),
                        d -> vertx.eventBus().publish(CallDecision.ADDRESS, d.toJson()), greetings),
                "phonein", new PhoneInScript(phoneIn, PromptCatalogue.standard(), speech),
                "callout", new CallOutScript(escalations, speech, clock));
        Housekeeping housekeeping = new Housekeeping(new Housekeeping.Tables(database, books, overrides, callLogStore,
                choices, outbox, sessions, phoneInStore), s.retention(), clock);
        w.housekeeping = housekeeping;
        // ---- the operator's view: readiness, and the metrics if asked for
        boolean ami = s.asterisk().ami() != null;
        new Readiness(vertx, database, ami ? asterisk::amiConnected : null).mount(router);
        metrics.mount(router);
        metrics.watch(vertx, new ServerMetrics.Sources(() -> w.agi == null ? 0 : w.agi.openConnections(), callLog::queued,
                ami ? asterisk::amiConnected : null, () -> routing.snapshot().book().version(), messageStore::count,
                outbox::tallies));
        w.http = new HttpVerticle(router, s.httpHost(), s.httpPort(), s.httpIdleTimeout(), s.httpRequestTimeout());
        try {
            await(vertx.deployVerticle(w.http));
        } catch (Exception e) {
            if (Ports.isAddressInUse(e)) throw Ports.inUse(Config.HTTP_PORT, s.httpHost(), s.httpPort());
            throw e;
        }
        // FastAGI listens on one event loop per core (its own verticles, sharing the port)
        try {
            w.agi = FastAgiServer.start(vertx, s.agiHost(), s.agiPort(), scripts, s.agiLimits(), FastAgiServer.DEFAULT_INSTANCES);
        } catch (IOException e) {
            if (Ports.isAddressInUse(e)) throw Ports.inUse(Config.AGI_PORT, s.agiHost(), s.agiPort());
            throw e;
        }
        BackgroundJobs jobs = new BackgroundJobs(watcher, messaging.digests(), escalations, housekeeping,
                s.housekeepingEvery(), new BackgroundJobs.Once() {
                    public boolean digests() {
                        return leases.held(DIGESTS_LEASE);
                    }

                    public boolean housekeeping() {
                        return leases.held(HOUSEKEEPING_LEASE);
                    }

                    // the chains queue outbox rows: the outbox's owner advances them
                    public boolean escalations() {
                        return leases.held(OUTBOX_LEASE);
                    }
                });
        await(vertx.deployVerticle(jobs));
    }

    private static <T> T await(Future<T> deployed) throws Exception {
        try {
            return deployed.await(30, TimeUnit.SECONDS);
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /**
     * Calendar sync (every client's calendar fetched when due, off the event loop; the views put into the routing
     * snapshot) and the console's calendar routes. Credentials come from the configuration only.
     */
    private static CalendarSync startCalendars(Wiring w, LiveRouting routing, OutboxStore outbox) {
        ServerSettings.Calendars c = w.settings.calendars();
        FeedFetcher fetcher = new FeedFetcher(w.vertx, c.timeout(), c.maxBytes());
        // the due fetches run on the holder of the calendar lease only; every node reads their results from the store
        Leases leases = w.leases;
        CalendarSync sync = w.open(new CalendarSync(w.vertx, new CalendarStore(w.database), fetcher, routing, c.credentials(),
                CalendarSync.Settings.of(c.refresh(), c.horizon()), () -> leases.held(CALENDARS_LEASE)));
        leases.register(CALENDARS_LEASE, new Leases.Owner() {
            @Override
            public void gained() {
                sync.tick();
            }

            @Override
            public void lost() {
            }
        });
        sync.load();
        sync.tick();
        sync.start(java.time.Duration.ofSeconds(10));
        // the caller's SMS confirmation goes through the outbox, which sends only with a Twilio account and sender
        CalendarApi.Confirmation confirmation = null;
        if (w.settings.messaging().sender() != null) {
            java.time.Duration giveUp = w.settings.messaging().giveUpAfter();
            confirmation = (client, key, to, text) -> {
                Instant now = routing.now();
                outbox.enqueue(new NewNotification(key, NotificationKind.BOOKING, client.id(), to, text, now, now.plus(giveUp)));
            };
        }
        new CalendarApi(w.vertx, routing, sync, new AppointmentBooker(sync, fetcher, routing, c.credentials()), confirmation)
                .mount(w.router);
        return sync;
    }

    /** The outbox's e-mail delivery: SMTP, with recordings fetched from Twilio's API when its account is set. */
    private static SmtpMailer mailer(ServerSettings.Mail mail, Vertx vertx, OutboxStore outbox, MessageStore messages,
                                     LiveRouting routing, Clock clock) {
        Recordings recordings = new Recordings(mail.recordingsUser(), mail.recordingsPassword(), mail.smtp().timeout());
        LOG.info("e-mail: through {}", mail.smtp());
        return new SmtpMailer(vertx, mail.smtp(), outbox, messages, () -> routing.snapshot().book().book(), recordings,
                clock);
    }

    /** The demo book, stored unless a book is there already (the version id, not the book: it is read once, later). */
    private static void storeDemoBook(BookStore books, PinHasher pins, Instant now) throws IOException, BookException {
        if (books.currentVersionId() != 0) return;
        Book book = BookLoader.load(demoBookText(), pins);
        books.save(book, "demo", now);
        LOG.info("demo: sample book stored ({} clients)", book.clients().size());
    }

    /** The key file's key, made on the first start; a file that cannot be read or made stops the start naming it. */
    private static PinPepper pinPepper(Path file) {
        try {
            return PinPepper.loadOrCreate(file, new SecureRandom());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(Config.PIN_PEPPER_FILE + ": " + file + ": " + e.getMessage());
        }
    }

    /** Unkeyed PIN hashes of the book in force are keyed now; hashes under another key are the operator's to hear of. */
    private static void rekeyPins(BookStore books, PinHasher pins, Instant now) throws BookException {
        PinKeys.Outcome o = PinKeys.rekeyCurrentBook(books, pins, now);
        if (o.rekeyed() > 0) {
            LOG.info("phone-in PINs: {} PIN hashes keyed with the key of {} (book version {})", o.rekeyed(),
                    Config.PIN_PEPPER_FILE, o.bookVersion());
        }
        if (o.otherKey() > 0) {
            LOG.warn("phone-in PINs: {} PIN hashes were made under another {} than this server's key {}; those clients' "
                    + "phone-in PINs fail until they are set again (or the old key file is put back)", o.otherKey(),
                    Config.PIN_PEPPER_FILE, pins.pepper().id());
        }
    }

    /**
     * Nodes on one PostgreSQL database: the live state of calls (and the decisions the PBX's follower needs) crosses
     * to the other nodes through database notifications, and a change another node announces (a status, a duty, a
     * book) reloads routing here at once rather than at the next poll.
     */
    private static void shareWithOtherNodes(Wiring w, StoreWatcher watcher) {
        Vertx vertx = w.vertx;
        w.open(BusBridge.start(vertx, w.database, w.settings.node(),
                Set.of(CallDecision.ADDRESS, CallUpdate.ADDRESS, CallFeed.ALERTS, CallFeed.CLAIMS, CallbackResult.ADDRESS)));
        w.database.onChange(() -> vertx.executeBlocking(() -> {
            watcher.poll();
            return null;
        }, false));
    }

    /**
     * Every node follows the PBX's calls over AMI (a warm standby, with the decisions any node's FastAGI made); the
     * holder of the PBX's lease acts on them (missed calls and recordings stored, live state published, device state,
     * the recordings folder) and carries out the console's choices, whichever node's console they come from (a choice
     * on another node is carried to the holder, {@link HolderRequests}). A node that takes the lease over knows the
     * calls in progress already and stores the missed calls its predecessor may not have.
     */
    private static void followPbx(Wiring w, AsteriskLive asterisk) {
        AsteriskLive.Settings a = w.settings.asterisk();
        String lease = a.ami() != null ? "pbx " + a.ami().host() + ":" + a.ami().port()
                : a.recordings() != null ? "recordings " + a.recordings().toAbsolutePath().normalize() : null;
        if (lease == null) return;
        if (a.ami() != null) {
            listenForDecisions(w.vertx, asterisk);
            asterisk.connect();
            HolderRequests requests = w.open(HolderRequests.start(w.vertx, w.database, w.leases, Clock.systemUTC()));
            requests.serve(CallChoices.ASTERISK_ADDRESS, lease, choice -> carryOut(asterisk, choice));
        }
        w.leases.register(lease, new Leases.Owner() {
            @Override
            public void gained() {
                asterisk.act(true);
            }

            @Override
            public void lost() {
                asterisk.act(false);
            }
        });
    }

    /** Which transport the sockets run on, and why not the native one where it was asked for and did not load. */
    private static void logTransport(Vertx vertx, boolean asked) {
        Transport available = Transport.nativeTransport();
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("network: sockets on the native transport ({})", available.name());
        } else if (!asked) {
            LOG.info("network: sockets on Java NIO (net.native-transport: false)");
        } else {
            Throwable cause = available == null ? null : available.unavailabilityCause();
            LOG.info("network: sockets on Java NIO; the native transport is not available here ({})",
                    cause == null ? "none for this system" : cause.toString());
        }
    }

    /** Decisions made by any node's FastAGI: the live state of the call carries them. */
    private static void listenForDecisions(Vertx vertx, AsteriskLive asterisk) {
        vertx.eventBus().<JsonObject>consumer(CallDecision.ADDRESS, msg -> {
            try {
                asterisk.decided(CallDecision.fromJson(msg.body()));
            } catch (IllegalArgumentException | ClassCastException e) {
                LOG.warn("calls: unusable decision event ignored: {}", e.getMessage());
            }
        });
    }

    /** The console's put-through / voicemail buttons: the PBX moves the ringing call (on the lease holder only). */
    private static Future<JsonObject> carryOut(AsteriskLive asterisk, JsonObject choice) {
        return Future.fromCompletionStage(asterisk.carryOut(choice.getString("callId", ""), choice.getString("choice", "")))
                .map(done -> new JsonObject().put("done", done))
                .recover(e -> {
                    Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
                    LOG.warn("call {}: choice {} not carried out: {}", choice.getString("callId"), choice.getString("choice"),
                            cause.getMessage());
                    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, HolderRequests.REFUSED,
                            String.valueOf(cause.getMessage())));
                });
    }

    /**
     * The Twilio webhooks under {@code /twilio/} (SMS replies confirm urgent messages), the phone-in line's routes and
     * the escalation call-outs' TwiML (both mounted after the webhooks, whose {@code /twilio/*} body limit and
     * signature filter then cover them too), and the console's choices on Twilio calls.
     */
    private static void mountTwilio(Wiring w, LiveRouting routing, DecisionLog callLog, StatusService status,
                                    Messaging messaging, OutboxStore outbox, PhoneInLine phoneIn, PhoneInStore phoneInStore,
                                    Escalations escalations) {
        TwilioSettings twilio = w.settings.twilio();
        TwilioCallStore twilioCalls = w.open(new TwilioCallStore(w.database));
        new TwilioWebhooks(w.vertx, twilio, routing, callLog, twilioCalls, MessageSink.of(messaging.desk()), status, outbox,
                escalations::confirmBySms).mount(w.router);
        new PhoneInRoutes(w.vertx, twilio, phoneIn, phoneInStore, PromptCatalogue.standard()).mount(w.router);
        new CallOutRoutes(w.vertx, twilio, escalations, routing::now).mount(w.router);
        LOG.info("twilio: webhooks at {}/twilio/voice (fallback {}/twilio/fallback), phone-in line at {}{}",
                twilio.publicUrl(), twilio.publicUrl(), twilio.publicUrl(), PhoneInRoutes.START);
        ServerSettings.TwilioRest rest = w.settings.twilioRest();
        if (rest == null) {
            LOG.info("twilio: console choices on Twilio calls are recorded only (set twilio.account-sid)");
            return;
        }
        // choices for CallSids come to their own address (see calls.CallChoices)
        TwilioCallControl control = new TwilioCallControl(w.vertx, twilio, routing, twilioCalls,
                RedirectingHttpClient.restClient(rest.accountSid(), rest.authToken(), rest.apiUrl(),
                        TwilioCallControl.REST_TIMEOUT), TwilioCallControl.REPLY_WITHIN);
        w.vertx.eventBus().consumer(CallChoices.TWILIO_ADDRESS, control);
        LOG.info("twilio: console choices redirect live calls through the REST API{}",
                rest.apiUrl() == null ? "" : " at " + rest.apiUrl());
    }

    /**
     * Creates the console admin while none exists: with {@code adminPassword} ({@code console.admin-password}), or in
     * demo mode with {@link #DEMO_PASSWORD} (plus a login per book secretary). Returns a line for the operator.
     */
    static String bootstrapConsole(String adminPassword, boolean demo, ConsoleAuth auth, LiveRouting routing) {
        if (adminPassword != null && !adminPassword.isBlank()) {
            auth.bootstrapAdmin(ADMIN_USER, adminPassword);
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

    static String demoBookText() throws IOException {
        try (InputStream in = VorzimmerServer.class.getResourceAsStream(DEMO_BOOK)) {
            if (in == null) throw new IOException("demo book " + DEMO_BOOK + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public int httpPort() {
        return http.port();
    }

    public int agiPort() {
        return agi.port();
    }

    public LiveRouting routing() {
        return routing;
    }

    /** The database the server runs on (tests look into it). */
    public Database database() {
        return database;
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

    /** The background calendar sync. */
    public CalendarSync calendars() {
        return calendars;
    }

    /** The escalation chains of urgent messages. */
    public Escalations escalations() {
        return escalations;
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
        return "vorzimmer: listening http://" + settings.httpHost() + ":" + httpPort()
                + " (GET /health, POST /api/v1/route, " + consoleNote + "), FastAGI agi://" + settings.agiHost() + ":"
                + agiPort() + "/route; db " + database.location() + "; book: " + book.clients().size()
                + " clients, " + book.secretaries().size() + " secretaries";
    }

    /**
     * Stops what takes work in before what does it: the AMI connection, the leases (their owners let go of their work
     * while Vert.x still runs, and other nodes may take it over), then Vert.x (the background jobs, FastAGI,
     * HTTP and every consumer, the console's live feeds with them), then the writers, which commit what they hold
     * (Twilio call rows, the outbox worker and messages, the call log), and last the database.
     */
    @Override
    public void close() {
        stop(asterisk, leases, vertx, writers);
        LOG.info("stopped");
    }

    private static void stop(AsteriskLive asterisk, Leases leases, Vertx vertx, Deque<AutoCloseable> writers) {
        if (asterisk != null) quietly(asterisk);
        if (leases != null) quietly(leases);
        if (vertx != null) quietly(() -> vertx.close().await(10, TimeUnit.SECONDS));
        while (!writers.isEmpty()) quietly(writers.pop());
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
        }
    }
}
