package de.vorzimmer.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.Locale;

/**
 * The Vert.x of a benchmark's servers, on the transport the server runs on: epoll where it loads (the server's default,
 * {@code net.native-transport: true}), or Java NIO with {@code VZ_BENCH_TRANSPORT=nio} in the environment, to measure
 * one beside the other. The environment reaches the benchmarks' child processes too.
 */
final class BenchVertx {
    private BenchVertx() {
    }

    static Vertx create() {
        String asked = System.getenv().getOrDefault("VZ_BENCH_TRANSPORT", "native").trim().toLowerCase(Locale.ROOT);
        if (!asked.equals("native") && !asked.equals("nio")) {
            throw new IllegalArgumentException("VZ_BENCH_TRANSPORT: '" + asked + "' is not native or nio");
        }
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(asked.equals("native")));
    }

    /** The transport's name as the tables print it: {@code epoll} or {@code nio}. */
    static String name(Vertx vertx) {
        if (!vertx.isNativeTransportEnabled()) return "nio";
        Transport t = Transport.nativeTransport();
        return t == null ? "native" : t.name();
    }
}
