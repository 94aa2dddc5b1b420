package de.vorzimmer.asterisk.agi;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.Callable;
import org.asteriskjava.fastagi.command.AgiCommand;

/**
 * One FastAGI connection once its environment has arrived: what Asterisk said about the call, and commands as
 * asynchronous request and answer. res_agi answers a command before it reads the next, so a script sends one command
 * at a time (the next from the previous one's completion). Every future completes on the connection's event loop.
 * A command fails with {@link AgiHangupException} once the caller is gone, {@link AgiConnectionException} when
 * Asterisk does not answer in time, and {@link AgiCommandException} when it refuses the command.
 */
public interface AgiCall {
    /** The {@code agi_*} environment with the prefix removed ({@code extension}, {@code uniqueid}); empty values left out. */
    Map<String, String> environment();

    /** {@code agi_arg_1} ... in order; an argument that was empty or missing is null. */
    String[] arguments();

    /** The script asked for ({@code route} for {@code agi://host/route?x=y}). */
    String script();

    default String uniqueId() {
        return environment().get("uniqueid");
    }

    default String channel() {
        return environment().get("channel");
    }

    /** The peer's address as {@code host:port}, for log lines. */
    String remoteAddress();

    /** A command Asterisk answers at once (sets or reads variables, runs an application that plays nothing). */
    Future<AgiReply> send(AgiCommand command);

    /** A command that lasts while the caller listens or keys in ({@code STREAM FILE}, {@code GET DATA}, ...). */
    Future<AgiReply> play(AgiCommand command);

    /** Whether Asterisk has said the channel hung up; commands then fail with {@link AgiHangupException}. */
    boolean hungUp();

    /** Runs blocking work (JDBC, a password hash, a process) on a worker thread; completes on this call's event loop. */
    <T> Future<T> offLoop(Callable<T> work);
}
