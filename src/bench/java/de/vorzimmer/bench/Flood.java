package de.vorzimmer.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds {@code count} idle connections to a FastAGI port open from one thread (NIO), as a flood of bogus peers
 * would: every other one sends half an AGI environment and then nothing, the rest nothing at all. Whatever the
 * server closes (its request time-out) is opened again at once, so the count stays held for as long as the flood
 * runs. Counts what was opened, re-opened and refused (a connect that failed).
 */
final class Flood implements AutoCloseable {
    private static final byte[] HALF = "agi_network: yes\nagi_network_script: ro".getBytes(StandardCharsets.US_ASCII);
    /** New connections per round of the loop, so a burst of re-opens does not starve the reads. */
    private static final int OPEN_PER_ROUND = 500;

    private final InetSocketAddress address;
    private final int count;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;
    private int open;
    private int connected;
    private long halfSent;
    final AtomicLong opened = new AtomicLong();
    final AtomicLong reopened = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile int held;

    Flood(int port, int count) throws IOException {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.count = count;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "flood-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits (bounded) until {@code count} connections are established; false if they were not within the time. */
    boolean awaitHeld(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (held < count && System.currentTimeMillis() < end) Thread.sleep(10);
        return held >= count;
    }

    /** Connections established and not closed right now. */
    int held() {
        return held;
    }

    private void run() {
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        while (running) {
            try {
                for (int i = 0; i < OPEN_PER_ROUND && open < count; i++) openOne();
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            connected++;
                            if ((halfSent++ & 1) == 0) ch.write(ByteBuffer.wrap(HALF));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            scratch.clear();
                            if (ch.read(scratch) < 0) { // closed by the server: open another one
                                key.cancel();
                                ch.close();
                                open--;
                                connected--;
                                reopened.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        boolean wasConnected = key.interestOps() == SelectionKey.OP_READ;
                        key.cancel();
                        ch.close();
                        open--;
                        if (wasConnected) {
                            connected--;
                            reopened.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                }
                selector.selectedKeys().clear();
                held = connected;
            } catch (IOException e) {
                refused.incrementAndGet();
            }
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void openOne() {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_LINGER, 0); // closed with a reset: no TIME_WAIT pile-up in the bench
            open++;
            opened.incrementAndGet();
            if (ch.connect(address)) {
                ch.register(selector, SelectionKey.OP_READ);
                connected++;
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            refused.incrementAndGet();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }
}
