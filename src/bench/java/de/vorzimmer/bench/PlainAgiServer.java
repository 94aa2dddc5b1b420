package de.vorzimmer.bench;


import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.asteriskjava.fastagi.DefaultAgiServer;

/**
 * Asterisk-Java's FastAGI server exactly as the library ships it (its own sockets and reader, no Vorzimmer
 * code), with every request mapped to a script that does nothing: the baseline of {@link AgiLoad}.
 */
final class PlainAgiServer implements AutoCloseable {
    private final DefaultAgiServer server;
    private final int port;

    private PlainAgiServer(DefaultAgiServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static PlainAgiServer start(int poolSize) throws IOException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        DefaultAgiServer server = new DefaultAgiServer((request, channel) -> (req, ch) -> { });
        server.setAddress(InetAddress.getLoopbackAddress());
        server.setPort(port);
        server.setPoolSize(poolSize);
        server.setMaximumPoolSize(Math.max(poolSize, 200));
        Thread t = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException | IllegalStateException e) {
                System.err.println("plain FastAGI server stopped: " + e);
            }
        }, "plain-fastagi-accept");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) { // wait until it accepts
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw new IOException("plain FastAGI server did not start on " + port, e);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        return new PlainAgiServer(server, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException e) {
            // already stopped
        }
    }
}
