package de.vorzimmer.asterisk;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int commandTimeoutMillis;
    private boolean environmentRead;
    private long total;

    BoundedAgiSocket(Socket socket, int readTimeoutMillis) throws IOException {
        this(socket, readTimeoutMillis, readTimeoutMillis);
    }

    /**
     * @param readTimeoutMillis    silence allowed while the AGI environment is read
     * @param commandTimeoutMillis silence allowed after it, while a command runs: an interactive script's
     *                             {@code STREAM FILE} or {@code GET DATA} is answered only when the prompt has played
     */
    BoundedAgiSocket(Socket socket, int readTimeoutMillis, int commandTimeoutMillis) throws IOException {
        this.socket = socket;
        this.commandTimeoutMillis = commandTimeoutMillis;
        socket.setSoTimeout(readTimeoutMillis);
        this.in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Accepts connections as {@link BoundedAgiSocket}s; plugged into Asterisk-Java's {@code DefaultAgiServer}. */
    static final class Server implements ServerSocketFacade {
        private final ServerSocket serverSocket;
        private volatile int readTimeout;
        private final int commandTimeout;

        Server(int port, int backlog, InetAddress address, int readTimeoutMillis) throws IOException {
            this(port, backlog, address, readTimeoutMillis, readTimeoutMillis);
        }

        Server(int port, int backlog, InetAddress address, int readTimeoutMillis, int commandTimeoutMillis)
                throws IOException {
            this.serverSocket = new ServerSocket(port, backlog, address);
            this.readTimeout = readTimeoutMillis;
            this.commandTimeout = commandTimeoutMillis;
        }

        @Override
        public SocketConnectionFacade accept() throws IOException {
            Socket s = serverSocket.accept();
            try {
                return new BoundedAgiSocket(s, readTimeout, commandTimeout);
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

    /** One line without its {@code \n} (and a trailing {@code \r}), or null at the end of the stream. */
    @Override
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : decode(line);
            }
            if (++total > MAX_TOTAL) {
                throw refuse("sent more than " + MAX_TOTAL + " bytes");
            }
            if (b == '\n') {
                if (line.size() == 0 || line.size() == 1 && line.toByteArray()[0] == '\r') environmentEnded();
                return decode(line);
            }
            if (line.size() >= MAX_LINE) {
                throw refuse("sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
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

    private static String decode(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
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
