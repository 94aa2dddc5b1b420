package de.vorzimmer.asterisk.agi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * At most one warning per kind and period: a flood of bogus connections must not flood the log. The first line of a
 * kind is written at once; the ones after it within the period are counted, and the next line written says how many
 * were left out. Never logs a stack trace.
 */
public final class LogThrottle {
    private static final class Window {
        long lastNanos;
        long left;
        boolean logged;
    }

    private final Logger log;
    private final long periodNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public LogThrottle(Logger log, long period, TimeUnit unit) {
        this.log = log;
        this.periodNanos = unit.toNanos(period);
    }

    /**
     * Logs {@code format} with {@code args} at WARN unless a line of the same {@code kind} was written within the
     * period. {@code kind} is one of a few fixed words (not peer data), so the kinds stay few.
     */
    public void warn(String kind, String format, Object... args) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long left;
        long now = System.nanoTime();
        synchronized (w) {
            if (w.logged && now - w.lastNanos < periodNanos) {
                w.left++;
                return;
            }
            left = w.left;
            w.left = 0;
            w.lastNanos = now;
            w.logged = true;
        }
        if (!log.isWarnEnabled()) return;
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            // a Throwable as the last argument would print a stack trace
            plain[i] = args[i] instanceof Throwable t ? String.valueOf(t.getMessage()) : args[i];
        }
        String line = left == 0 ? format : format + " (" + left + " more like it since the last such line)";
        log.warn(line, plain);
    }
}
