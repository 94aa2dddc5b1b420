package de.vorzimmer.cli;

import de.vorzimmer.book.PinHasher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process with captured output and a fixed clock. */
record CliRun(int exit, String out, String err) {
    static CliRun run(Instant now, String... args) {
        return run(now, System.getenv(), args);
    }

    /** With {@code env} as the environment the configuration's {@code VORZIMMER_*} variables come from. */
    static CliRun run(Instant now, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new Main(Clock.fixed(now, ZoneOffset.UTC), PinHasher.fast(), env));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    String errLine() {
        return err.stripTrailing();
    }
}
