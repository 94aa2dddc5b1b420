package de.vorzimmer.asterisk.agi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI connection on its event loop: reads the environment line by line within the limits, hands the call to
 * its script, then carries the script's commands and Asterisk's answers, one at a time. Everything here runs on the
 * connection's own event-loop context, so the state needs no locks.
 *
 * <pre>
 *  REQUEST ── empty line ──> RUNNING (script) ── script done ──> CLOSED
 *     └── over a limit, no request in time, no known script, peer gone ──────> CLOSED
 * </pre>
 */
final class AgiConnection implements AgiCall {
    private static final Logger LOG = LoggerFactory.getLogger(AgiConnection.class);
    /** Lines one answer may take: a 520 answer spells the usage over a few; {@code 100 Trying} may precede one. */
    static final int MAX_REPLY_LINES = 64;
    /** Highest {@code agi_arg_N} taken; Asterisk passes as many as the dialplan gives, a handful in practice. */
    static final int MAX_ARGUMENTS = 64;

    private enum Phase { REQUEST, RUNNING, CLOSED }

    private final FastAgiServer.Listening listening;
    private final Context context;
    private final NetSocket socket;
    private final AgiLimits limits;
    /** The time-out under way: the request's, then each command's; one at a time, on this loop's {@link Deadlines}. */
    private final Deadlines.Deadline deadline;
    /**
     * The part of a line received so far, when a read ended inside it; made when first needed and grown up to the line
     * limit, so an idle connection costs no line buffer.
     */
    private byte[] partial;
    private int partialLength;
    private int received;
    private Phase phase = Phase.REQUEST;
    private boolean socketClosedSeen;
    private final Map<String, String> environment = new HashMap<>();
    private String[] arguments;
    private String script;
    private Promise<AgiReply> pending;
    private String pendingCommand;
    private long pendingTimeout;
    private List<String> replyLines;
    private int replyLineCount;
    private boolean hungUp;
    private String remote;

    AgiConnection(FastAgiServer.Listening listening, Context context, Deadlines deadlines, NetSocket socket) {
        this.listening = listening;
        this.context = context;
        this.socket = socket;
        this.limits = listening.limits();
        this.deadline = deadlines.deadline(this::deadlineExpired);
    }

    void start() {
        listening.open().incrementAndGet();
        socket.handler(this::received);
        socket.closeHandler(v -> socketClosed());
        // a reset connection is an ordinary event on a network; without a handler Vert.x would log it as an error
        socket.exceptionHandler(e -> LOG.debug("agi: {}: {}", remoteAddress(), e.toString()));
        deadline.set(limits.requestTimeout());
    }

    /** The request did not arrive in time, or Asterisk did not answer the command under way. */
    private void deadlineExpired() {
        if (phase == Phase.REQUEST) {
            requestTimedOut(limits.requestTimeout().toMillis());
        } else if (pending != null) {
            close(new AgiConnectionException("no answer to '" + clip(pendingCommand) + "' within " + pendingTimeout + " ms"));
        }
    }

    // ------------------------------------------------------------------------------------------ reading lines

    private void received(Buffer data) {
        if (phase == Phase.CLOSED) return;
        int n = data.length();
        if (phase == Phase.REQUEST) {
            received += n;
            if (received > limits.maxRequest()) {
                refuse("sent more than " + limits.maxRequest() + " bytes");
                return;
            }
        }
        byte[] bytes = data.getBytes();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] != '\n') continue;
            String line = line(bytes, start, i);
            start = i + 1;
            if (line == null) return;
            if (phase == Phase.REQUEST) requestLine(line);
            else if (phase == Phase.RUNNING) replyLine(line);
            if (phase == Phase.CLOSED) return;
        }
        int rest = n - start;
        if (rest > 0) {
            if (partialLength + rest > limits.maxLine()) {
                refuse("sent a line longer than " + limits.maxLine() + " bytes");
                return;
            }
            keep(partialLength + rest);
            System.arraycopy(bytes, start, partial, partialLength, rest);
            partialLength += rest;
        }
    }

    /** The line {@code bytes[start, end)} after what was kept from earlier reads, without a trailing CR; null if refused. */
    private String line(byte[] bytes, int start, int end) {
        int len = partialLength + end - start;
        if (len > limits.maxLine()) {
            refuse("sent a line longer than " + limits.maxLine() + " bytes");
            return null;
        }
        byte[] from = bytes;
        int offset = start;
        if (partialLength > 0) {
            keep(len);
            System.arraycopy(bytes, start, partial, partialLength, end - start);
            from = partial;
            offset = 0;
            partialLength = 0;
        }
        if (len > 0 && from[offset + len - 1] == '\r') len--;
        return new String(from, offset, len, StandardCharsets.UTF_8);
    }

    /** Makes room for {@code size} bytes of a partial line (at most the line limit, checked by the callers). */
    private void keep(int size) {
        if (partial != null && partial.length >= size) return;
        int grown = Math.max(size, partial == null ? 256 : partial.length * 2);
        byte[] next = new byte[Math.min(grown, limits.maxLine() + 1)];
        if (partial != null) System.arraycopy(partial, 0, next, 0, partialLength);
        partial = next;
    }

    // ------------------------------------------------------------------------------------------ the request

    /** An environment line, read as Asterisk-Java reads it: {@code agi_KEY: VALUE}; other lines and empty values skipped. */
    private void requestLine(String line) {
        if (line.isEmpty()) {
            environmentEnded();
            return;
        }
        int colon = line.indexOf(':');
        if (colon < 0 || !(line.startsWith("agi_") || line.startsWith("ogi_")) || line.length() < colon + 2) return;
        String value = line.substring(colon + 2);
        if (!value.isEmpty()) environment.put(line.substring(4, colon).toLowerCase(Locale.ROOT), value);
    }

    private void environmentEnded() {
        deadline.cancel();
        if (environment.isEmpty()) {
            refuse("sent no AGI environment");
            return;
        }
        script = scriptName(environment);
        FastAgiScript s = script == null ? null : listening.scripts().get(script);
        if (s == null) {
            listening.throttle().warn("unknown-script", "agi: {} asked for script '{}' (known: {}); connection closed",
                    remoteAddress(), script == null ? "" : clip(script), listening.scripts().keySet());
            close(null);
            return;
        }
        phase = Phase.RUNNING;
        arguments = arguments(environment);
        Future<?> done;
        try {
            done = s.run(this);
            if (done == null) throw new IllegalStateException("script '" + script + "' returned no future");
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onComplete(ar -> {
            if (ar.failed()) scriptFailed(ar.cause());
            close(null);
        });
    }

    private void scriptFailed(Throwable e) {
        if (e instanceof AgiHangupException) {
            LOG.debug("agi: {} script '{}': {}", remoteAddress(), script, e.getMessage());
        } else if (e instanceof AgiConnectionException) {
            listening.throttle().warn("conversation", "agi: {} script '{}': {}; connection closed", remoteAddress(), script,
                    e.getMessage());
        } else {
            LOG.error("agi: script '{}' failed for {}", script, remoteAddress(), e);
        }
    }

    /**
     * The script named by {@code agi_network_script}, or failing that by the path of {@code agi_request}
     * ({@code agi://host:4573/route?x=y} names {@code route}); null if neither names one.
     */
    static String scriptName(Map<String, String> env) {
        String name = env.get("network_script");
        if (name == null || name.isBlank()) {
            String url = env.get("request");
            if (url == null) return null;
            int scheme = url.indexOf("://");
            int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
            if (slash < 0) return null;
            name = url.substring(slash + 1);
        }
        int query = name.indexOf('?');
        if (query >= 0) name = name.substring(0, query);
        while (name.startsWith("/")) name = name.substring(1);
        return name.isEmpty() ? null : name;
    }

    /** {@code arg_1} .. {@code arg_N} as an array (missing ones null); numbers out of range are ignored. */
    static String[] arguments(Map<String, String> env) {
        int max = 0;
        for (String key : env.keySet()) max = Math.max(max, argumentIndex(key));
        String[] out = new String[max];
        for (int i = 0; i < max; i++) out[i] = env.get("arg_" + (i + 1));
        return out;
    }

    private static int argumentIndex(String key) {
        if (!key.startsWith("arg_") || key.length() > 6 || key.length() < 5) return 0;
        int n = 0;
        for (int i = 4; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') return 0;
            n = n * 10 + (c - '0');
        }
        return n <= MAX_ARGUMENTS ? n : 0;
    }

    private void requestTimedOut(long ms) {
        if (phase != Phase.REQUEST) return;
        listening.throttle().warn("request-timeout", "agi: {} sent {} within {} ms; connection closed, no decision",
                remoteAddress(), received == 0 ? "nothing" : "no complete AGI request (" + received + " bytes)", ms);
        close(null);
    }

    private void refuse(String what) {
        listening.throttle().warn("limit", "agi: peer {} {}; connection closed, no decision (the dialplan falls back)",
                remoteAddress(), what);
        close(new AgiConnectionException("peer " + what));
    }

    // ------------------------------------------------------------------------------------------ commands

    @Override
    public Future<AgiReply> send(AgiCommand command) {
        return exchange(command, limits.requestTimeout());
    }

    @Override
    public Future<AgiReply> play(AgiCommand command) {
        return exchange(command, limits.commandTimeout());
    }

    private Future<AgiReply> exchange(AgiCommand command, Duration timeout) {
        if (Vertx.currentContext() != context) {
            Promise<AgiReply> p = Promise.promise();
            context.runOnContext(v -> exchange(command, timeout).onComplete(p));
            return p.future();
        }
        if (phase != Phase.RUNNING) return Future.failedFuture(new AgiHangupException("the connection is closed"));
        if (hungUp) return Future.failedFuture(new AgiHangupException("the caller hung up"));
        if (pending != null) {
            throw new IllegalStateException("'" + pendingCommand + "' still waits for its answer: res_agi takes one command at a time");
        }
        String line = command.buildCommand();
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("AGI command spans lines: " + clip(line));
        }
        pending = Promise.promise();
        pendingCommand = line;
        pendingTimeout = timeout.toMillis();
        deadline.set(timeout);
        socket.write(Buffer.buffer(line.length() + 16).appendString(line).appendByte((byte) '\n'));
        return pending.future();
    }

    /** A line after the environment: an answer to the command under way, or res_agi's {@code HANGUP}. */
    private void replyLine(String line) {
        if (line.startsWith("HANGUP")) {
            hungUp = true;
            if (line.length() == 6) return;
            line = line.substring(6); // as Asterisk-Java reads a HANGUP run together with an answer
        }
        if (pending == null) {
            protocol("answered '" + clip(line) + "' when no command was under way");
            return;
        }
        if (++replyLineCount > MAX_REPLY_LINES) {
            protocol("sent more than " + MAX_REPLY_LINES + " lines in answer to '" + clip(pendingCommand) + "'");
            return;
        }
        if (replyLines != null) { // inside a 520 answer, which ends with "520 End of proper usage."
            replyLines.add(line);
            if (line.startsWith(AgiReply.INVALID_COMMAND_SYNTAX + " ")) answered(AgiReply.parse(replyLines.get(0)));
            return;
        }
        if (line.startsWith(AgiReply.INVALID_COMMAND_SYNTAX + "-")) {
            replyLines = new ArrayList<>();
            replyLines.add(line);
            return;
        }
        AgiReply reply = AgiReply.parse(line);
        if (reply.status() == AgiReply.TRYING) return;
        answered(reply);
    }

    private void answered(AgiReply reply) {
        Promise<AgiReply> p = pending;
        String command = pendingCommand;
        pending = null;
        pendingCommand = null;
        replyLines = null;
        replyLineCount = 0;
        deadline.cancel();
        switch (reply.status()) {
            case AgiReply.SUCCESS -> p.complete(reply);
            case AgiReply.DEAD_CHANNEL -> {
                hungUp = true;
                p.fail(new AgiHangupException("the channel is gone (" + reply.firstLine() + ")"));
            }
            case AgiReply.INVALID_OR_UNKNOWN_COMMAND, AgiReply.INVALID_COMMAND_SYNTAX ->
                    p.fail(new AgiCommandException(command, reply));
            default -> {
                p.fail(new AgiConnectionException("answered '" + clip(reply.firstLine()) + "' to '" + clip(command) + "'"));
                close(null);
            }
        }
    }

    /** The peer broke the conversation: the command under way fails with it (its script logs it), else it is logged here. */
    private void protocol(String what) {
        if (pending == null) {
            listening.throttle().warn("conversation", "agi: {} {}; connection closed", remoteAddress(), what);
        }
        close(new AgiConnectionException(what));
    }

    // ------------------------------------------------------------------------------------------ the end

    /** Closes the connection; a command under way fails with {@code why} (a hang-up if null). */
    private void close(RuntimeException why) {
        if (phase == Phase.CLOSED) return;
        phase = Phase.CLOSED;
        deadline.cancel();
        failPending(why != null ? why : new AgiHangupException("the connection is closed"));
        socket.close();
    }

    private void socketClosed() {
        if (socketClosedSeen) return;
        socketClosedSeen = true;
        listening.open().decrementAndGet();
        if (phase == Phase.REQUEST) {
            LOG.debug("agi: {} closed the connection after {} bytes of its request", remoteAddress(), received);
        }
        phase = Phase.CLOSED;
        deadline.cancel();
        failPending(new AgiHangupException("Asterisk closed the connection"));
    }

    private void failPending(RuntimeException why) {
        if (pending == null) return;
        Promise<AgiReply> p = pending;
        pending = null;
        pendingCommand = null;
        p.fail(why);
    }

    // ------------------------------------------------------------------------------------------ AgiCall

    @Override
    public Map<String, String> environment() {
        return Collections.unmodifiableMap(environment);
    }

    @Override
    public String[] arguments() {
        return arguments == null ? new String[0] : arguments.clone();
    }

    @Override
    public String script() {
        return script;
    }

    @Override
    public String remoteAddress() {
        if (remote == null) {
            SocketAddress a = socket.remoteAddress();
            remote = a == null ? "?" : a.hostAddress() + ":" + a.port();
        }
        return remote;
    }

    @Override
    public boolean hungUp() {
        return hungUp;
    }

    @Override
    public <T> Future<T> offLoop(Callable<T> work) {
        return context.executeBlocking(work, false);
    }

    static String clip(String s) {
        String shown = s.length() <= 60 ? s : s.substring(0, 60) + "…";
        StringBuilder sb = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
