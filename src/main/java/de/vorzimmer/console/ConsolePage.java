package de.vorzimmer.console;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's static files, served from the jar only ({@code console/} on the class path): never from a folder of
 * the server's working directory (Vert.x's static handler looks there first), never through a link, only file types
 * the console is made of, and only names without {@code ..}, backslashes or control characters. Anything else is 404.
 */
final class ConsolePage implements Handler<RoutingContext> {
    static final String PREFIX = "/console/";
    private static final String FOLDER = "console/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8", "png", "image/png", "svg", "image/svg+xml",
            "ico", "image/x-icon", "woff2", "font/woff2", "wav", "audio/wav");
    /** Path segments as the console's files are named: letters, digits, dot, dash, underscore. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    /** Files read once (the jar does not change under a running server); a name not found is not remembered. */
    private final Map<String, Buffer> files = new ConcurrentHashMap<>();

    @Override
    public void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        if (ctx.request().path().equals("/console")) {
            ctx.redirect(PREFIX); // the page's relative links need the folder
            return;
        }
        Optional<String> name = name(ctx.request().path());
        Optional<Buffer> file = name.flatMap(this::file);
        if (file.isEmpty()) {
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("not found\n");
            return;
        }
        String n = name.get();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(extension(n)))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (method == HttpMethod.HEAD) ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH,
                Integer.toString(file.get().length())).end();
        else ctx.response().end(file.get());
    }

    /**
     * The file a request path names under {@link #PREFIX}, as a class-path resource name below {@code console/}
     * ({@code index.html} for the folder itself), or empty for anything that is not plainly one of ours.
     */
    static Optional<String> name(String path) {
        if (path == null || !path.startsWith(PREFIX)) return Optional.empty();
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty()) rest = "index.html";
        String[] segments = rest.split("/", -1);
        if (segments.length > 4) return Optional.empty();
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches() || s.contains("..")) return Optional.empty();
        }
        return TYPES.containsKey(extension(rest)) ? Optional.of(rest) : Optional.empty();
    }

    private Optional<Buffer> file(String name) {
        Buffer cached = files.get(name);
        if (cached != null) return Optional.of(cached);
        try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) return Optional.empty();
            Buffer b = Buffer.buffer(in.readAllBytes());
            files.put(name, b);
            return Optional.of(b);
        } catch (IOException e) {
            throw new UncheckedIOException("console file " + name + " cannot be read from the jar", e);
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
