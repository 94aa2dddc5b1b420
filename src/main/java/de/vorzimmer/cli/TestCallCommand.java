package de.vorzimmer.cli;

import de.vorzimmer.asterisk.AmiService;
import de.vorzimmer.asterisk.TestCall;
import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vorzimmer test-call --to DID --from NUMBER [--forwarded-from LINE]}: a call into {@code vorzimmer-in} on the
 * configured PBX (AMI from {@code --config} and the environment), as a carrier would deliver it.
 */
@Command(name = "test-call", mixinStandardHelpOptions = true,
        description = "Place a test call into vorzimmer-in through AMI (Originate of Local/DID@vorzimmer-in).")
final class TestCallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The server's configuration (ami.host, ami.user, ami.secret).")
    Path config;

    @Option(names = "--to", required = true, paramLabel = "NUMBER", description = "The dialed number (DID) as the trunk delivers it.")
    String to;

    @Option(names = "--from", paramLabel = "NUMBER", defaultValue = "anonymous",
            description = "The caller's number, or anonymous (default).")
    String from;

    @Option(names = "--forwarded-from", paramLabel = "NUMBER", description = "The client line the call was forwarded from.")
    String forwardedFrom;

    @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long the caller's side stays on the line once answered (default ${DEFAULT-VALUE}).")
    int hold;

    @Override
    public Integer call() {
        Config cfg;
        try {
            cfg = Config.load(config, System.getenv(), Map.of());
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!cfg.has(Config.AMI_HOST)) {
            throw new BadInputException("no AMI configured: set ami.host, ami.user and ami.secret (--config FILE or "
                    + Config.envName(Config.AMI_HOST) + ")");
        }
        if (!cfg.secretsMissingFor(Config.AMI_USER, Config.AMI_SECRET).isEmpty()) {
            throw new BadInputException("ami.host is set but " + String.join(" and ", cfg.secretsMissingFor(Config.AMI_USER,
                    Config.AMI_SECRET)) + " not");
        }
        AmiService.Settings ami;
        try {
            ami = new AmiService.Settings(cfg.string(Config.AMI_HOST), cfg.port(Config.AMI_PORT, false),
                    cfg.string(Config.AMI_USER), cfg.string(Config.AMI_SECRET));
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        TestCall.Placed placed;
        try {
            placed = TestCall.place(ami, to, from, forwardedFrom, hold);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        } catch (IOException e) {
            spec.commandLine().getErr().println("vorzimmer: test-call: " + Main.oneLine(e.getMessage()));
            return Main.FAILED;
        }
        spec.commandLine().getOut().println("test-call: " + placed.channel() + " from " + from
                + (forwardedFrom == null ? "" : " forwarded from " + forwardedFrom) + " placed as call " + placed.callId()
                + "; its decision: vorzimmer calls --call " + placed.callId() + " --json");
        return Main.OK;
    }
}
