package de.vorzimmer.book;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a client's calendar is read from: an iCalendar feed ({@code https://...ics}, {@code webcal://...}, a file)
 * or a CalDAV calendar collection (an {@code http(s)} URL ending in {@code /}). Credentials never appear here: they
 * live in the configuration ({@code calendar.credentials.<client>.*}).
 *
 * @param url      as written in the book
 * @param bookInto secretaries may book appointments into it (CalDAV only)
 */
public record CalendarSource(String url, boolean bookInto) {
    public CalendarSource {
        Objects.requireNonNull(url, "url == null");
        String why = problem(url, bookInto);
        if (why != null) throw new IllegalArgumentException("calendar url '" + url + "': " + why);
    }

    /** How the calendar is fetched. */
    public enum Kind { FEED, CALDAV, FILE }

    public Kind kind() {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return URI.create(url).getPath().endsWith("/") ? Kind.CALDAV : Kind.FEED;
        }
        if (lower.startsWith("webcal://") || lower.startsWith("webcals://")) return Kind.FEED;
        return Kind.FILE;
    }

    /** The address to request: {@code webcal://} read as {@code https://}; a file as a path. */
    public String fetchUrl() {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("webcals://")) return "https://" + url.substring("webcals://".length());
        if (lower.startsWith("webcal://")) return "https://" + url.substring("webcal://".length());
        return url;
    }

    /** The file of a {@link Kind#FILE} source. */
    public Path file() {
        if (kind() != Kind.FILE) throw new IllegalStateException("calendar " + url + " is no file");
        return url.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(url)) : Path.of(url);
    }

    /** What is wrong with a calendar URL, or null if it is usable. */
    public static String problem(String url, boolean bookInto) {
        String t = url.strip();
        if (t.isEmpty()) return "is empty";
        if (!t.equals(url)) return "has spaces around it";
        String lower = t.toLowerCase(Locale.ROOT);
        boolean web = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("webcal://")
                || lower.startsWith("webcals://");
        if (web) {
            URI u;
            try {
                u = new URI(t);
            } catch (URISyntaxException e) {
                return "not a URL: " + e.getReason();
            }
            if (u.getHost() == null || u.getHost().isEmpty()) return "has no host";
            if (u.getRawUserInfo() != null) {
                return "must not hold a user name or password; put them into the configuration "
                        + "(calendar.credentials.CLIENT.user / .password)";
            }
            boolean caldav = (lower.startsWith("http://") || lower.startsWith("https://"))
                    && u.getPath() != null && u.getPath().endsWith("/");
            if (bookInto && !caldav) return "book-into needs a CalDAV calendar: an http(s) URL ending in '/'";
            return null;
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*") && !lower.startsWith("file:")) {
            return "expected http(s)://, webcal:// or a file path";
        }
        if (bookInto) return "book-into needs a CalDAV calendar: an http(s) URL ending in '/'";
        try {
            if (lower.startsWith("file:")) {
                Path.of(new URI(t));
            } else {
                Path.of(t);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "not a file path or file: URL";
        }
        return null;
    }
}
