package de.vorzimmer.server;

import de.vorzimmer.config.ConfigException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks before the start that the ports the server listens on are free, so that a port in use is one line naming
 * the port and its key (and nothing is created on disk for a server that cannot listen). The listeners still bind
 * for real afterwards; a port taken in between fails there, with the same message.
 */
final class Ports {
    private Ports() {
    }

    /** @throws ConfigException naming {@code key} if {@code host:port} cannot be bound (port 0 is always free) */
    static void requireFree(String key, String host, int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // a port whose last connections are in TIME_WAIT is free for a listener
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw inUse(key, host, port);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new ConfigException(key + ": cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    static ConfigException inUse(String key, String host, int port) {
        return new ConfigException(key + ": port " + port + " on " + host + " is in use (another server, or another"
                + " vorzimmer, listens there); choose a free port with " + key);
    }

    /** True if {@code e} or one of its causes says that an address was in use. */
    static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) return true;
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
