package de.vorzimmer.asterisk;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import de.vorzimmer.metrics.ConnectionCounter;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FastAGI connection that reads lines with limits. Asterisk-Java's own reader ({@code FastScanner} behind
 * {@code FastAgiReader}) buffers a line until it sees a newline and the request until it sees an empty line,
 * with no upper bound: one peer sending megabytes without a newline, or endless {@code agi_x: y} lines, makes
 * the server hold all of it in memory. Here a line longer than {@link #MAX_LINE} bytes or a connection that
 * sends more than {@link #MAX_TOTAL} bytes is cut off with an {@link IOException} (Asterisk-Java then closes
 * the connection; a real Asterisk channel would get {@code AGISTATUS=FAILURE} and take the dialplan fallback).
 * A real AGI environment is about 30 lines of well under 200 bytes.
 */
final class BoundedAgiSocket implements SocketConnectionFacade {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedAgiSocket.class);
    /** Longest line accepted, in bytes (without the newline). */
    static final int MAX_LINE = 4 * 1024;
    /** Most bytes read over one connection (environment plus replies to our commands). */
    static final int MAX_TOTAL = 64 * 1024;
    /**
     * How long to let the rest of a partly received environment arrive before reading again. Asterisk writes the
     * environment one line per {@code write()}, so a reader that blocks again after every read is woken 8-10 times
     * per call, each wake-up a context switch on a PBX host whose CPUs Asterisk keeps busy. Waiting this long once
     * (only when nothing more is buffered yet) collects the remaining lines in one read; it adds at most this much
     * to a call set-up that takes milliseconds.
     */
    static final long ENVIRONMENT_GATHER_NANOS = 200_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int commandTimeoutMillis;
    private final ConnectionCounter counter;
    private final AtomicBoolean counted = new AtomicBoolean(true);
    private boolean environmentRead;
    private long total;
    /** Bytes read from the socket but not yet returned as lines: {@code buf[pos, limit)}. */
    private final byte[] buf = new byte[MAX_LINE + 2];
    private int pos;
    private int limit;

    BoundedAgiSocket(Socket socket, int readTimeoutMillis) throws IOException {
        this(socket, readTimeoutMillis, readTimeoutMillis);
    }

    /**
     * @param readTimeoutMillis    silence allowed while the AGI environment is read
     * @param commandTimeoutMillis silence allowed after it, while a command runs: an interactive script's
     *                             {@code STREAM FILE} or {@code GET DATA} is answered only when the prompt has played
     */
    BoundedAgiSocket(Socket socket, int readTimeoutMillis, int commandTimeoutMillis) throws IOException {
        this(socket, readTimeoutMillis, commandTimeoutMillis, ConnectionCounter.NONE);
    }

    /** @param counter told when this connection opens (now) and closes (the first {@link #close}) */
    BoundedAgiSocket(Socket socket, int readTimeoutMillis, int commandTimeoutMillis, ConnectionCounter counter)
            throws IOException {
        this.socket = socket;
        this.counter = counter;
        this.commandTimeoutMillis = commandTimeoutMillis;
        socket.setSoTimeout(readTimeoutMillis);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        counter.opened();
    }

    /** Accepts connections as {@link BoundedAgiSocket}s; plugged into Asterisk-Java's {@code DefaultAgiServer}. */
    static final class Server implements ServerSocketFacade {
        private final ServerSocket serverSocket;
        private volatile int readTimeout;
        private final int commandTimeout;
        private final ConnectionCounter counter;

        Server(int port, int backlog, InetAddress address, int readTimeoutMillis) throws IOException {
            this(port, backlog, address, readTimeoutMillis, readTimeoutMillis, ConnectionCounter.NONE);
        }

        Server(int port, int backlog, InetAddress address, int readTimeoutMillis, int commandTimeoutMillis,
               ConnectionCounter counter) throws IOException {
            this.serverSocket = new ServerSocket(port, backlog, address);
            this.readTimeout = readTimeoutMillis;
            this.commandTimeout = commandTimeoutMillis;
            this.counter = counter;
        }

        @Override
        public SocketConnectionFacade accept() throws IOException {
            Socket s = serverSocket.accept();
            try {
                return new BoundedAgiSocket(s, readTimeout, commandTimeout, counter);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }

        @Override
        public void setSocketReadTimeout(int millis) {
            this.readTimeout = millis;
        }
    }

    /**
     * One line without its {@code \n} (and a trailing {@code \r}), or null at the end of the stream.
     * Reads into a plain array and scans it for the newline: this runs for every line of every call (about
     * 25 per environment), and a byte-at-a-time {@code BufferedInputStream.read()} takes a lock per byte.
     */
    @Override
    public String readLine() throws IOException {
        int start = pos;
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int len = i - start;
                    if (len > MAX_LINE) throw refuse("sent a line longer than " + MAX_LINE + " bytes");
                    countRead(i + 1 - start);
                    pos = i + 1;
                    if (len > 0 && buf[i - 1] == '\r') len--;
                    if (len == 0) environmentEnded();
                    return new String(buf, start, len, StandardCharsets.UTF_8);
                }
            }
            pos = limit;
            if (limit - start > MAX_LINE) throw refuse("sent a line longer than " + MAX_LINE + " bytes");
            if (total + (limit - start) > MAX_TOTAL) throw refuse("sent more than " + MAX_TOTAL + " bytes");
            if (start > 0) { // keep the partial line at the front of the buffer
                System.arraycopy(buf, start, buf, 0, limit - start);
                limit -= start;
                pos = limit;
                start = 0;
            }
            if (!environmentRead && (limit > 0 || total > 0) && in.available() == 0) {
                LockSupport.parkNanos(ENVIRONMENT_GATHER_NANOS);
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                int len = limit - start;
                pos = limit;
                if (len == 0) return null;
                countRead(len);
                if (buf[limit - 1] == '\r') len--;
                return new String(buf, start, len, StandardCharsets.UTF_8);
            }
            limit += n;
        }
    }

    private void countRead(int bytes) throws IOException {
        total += bytes;
        if (total > MAX_TOTAL) throw refuse("sent more than " + MAX_TOTAL + " bytes");
    }

    /** The blank line after the environment: from now on Asterisk answers our commands. */
    private void environmentEnded() throws IOException {
        if (environmentRead) return;
        environmentRead = true;
        if (commandTimeoutMillis != socket.getSoTimeout()) socket.setSoTimeout(commandTimeoutMillis);
    }

    private IOException refuse(String what) {
        String peer = socket.getInetAddress() + ":" + socket.getPort();
        LOG.warn("agi: peer {} {}; connection closed, no decision (the dialplan falls back)", peer, what);
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("agi: closing {} failed: {}", peer, e.getMessage());
        }
        return new IOException("AGI peer " + peer + " " + what);
    }

    @Override
    public void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (counted.compareAndSet(true, false)) counter.closed();
        socket.close();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected() && !socket.isClosed();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
