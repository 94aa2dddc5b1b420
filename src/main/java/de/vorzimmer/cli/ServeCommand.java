package de.vorzimmer.cli;


import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.server.VorzimmerServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vorzimmer serve}: runs the server until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the server: HTTP API, FastAGI and the store watcher.")
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--demo", description = "Use an embedded SQLite file (data/demo.db) with a sample book.")
    boolean demo;

    @Option(names = "--db", paramLabel = "PATH", description = "SQLite file (default from config: data/vorzimmer.db).")
    String db;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Overrides http.port.")
    String httpPort;

    @Option(names = "--agi-port", paramLabel = "PORT", description = "Overrides agi.port.")
    String agiPort;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (db != null) overrides.put(Config.DB, db);
        else if (demo && config == null && main.env().get(Config.envName(Config.DB)) == null) {
            overrides.put(Config.DB, "data/demo.db");
        }
        if (httpPort != null) overrides.put(Config.HTTP_PORT, httpPort);
        if (agiPort != null) overrides.put(Config.AGI_PORT, agiPort);
        Config cfg;
        try {
            cfg = Config.load(config, main.env(), overrides);
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        VorzimmerServer server;
        try {
            server = VorzimmerServer.start(cfg, demo, Clock.systemUTC());
        } catch (ConfigException e) {
            // a value that parses but cannot be used (a URL, a password, a port in use): nothing was started
            throw new BadInputException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println(server.describe());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
