package de.vorzimmer.console;


import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one guard in front of every {@code /api/v1} route. A request is let through with a {@link Principal}
 * in the context when it carries
 * <ul>
 *   <li>{@code Authorization: Bearer TOKEN} with a valid API token (machines; no cookie, so no CSRF risk), or</li>
 *   <li>the session cookie of a live session; a state-changing method must then also come from this origin
 *       ({@code Origin} and {@code Sec-Fetch-Site}, where the browser sends them) and carry the session's CSRF
 *       token in {@code X-CSRF-Token}.</li>
 * </ul>
 * Otherwise it answers 401 (no or bad credentials) or 403 (a cross-site or token-less change).
 */
public final class AuthHandler implements Handler<RoutingContext> {
    public static final String COOKIE = "vz_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Vertx vertx;
    private final ConsoleAuth auth;

    public AuthHandler(Vertx vertx, ConsoleAuth auth) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.auth = Objects.requireNonNull(auth, "auth == null");
    }

    @java.lang.Override
    public void handle(RoutingContext ctx) {
        String bearer = bearer(ctx.request());
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (bearer == null && cookie == null) {
            ctx.fail(new ApiException(401, "authentication required: log in or send Authorization: Bearer TOKEN"));
            return;
        }
        vertx.executeBlocking(() -> bearer != null ? auth.token(bearer) : auth.session(cookie.getValue()), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    Optional<Principal> p = ar.result();
                    if (p.isEmpty()) {
                        ctx.fail(new ApiException(401, bearer != null ? "token-invalid" : "session-expired",
                                bearer != null ? "API token unknown or revoked"
                                : "session expired or unknown; log in again"));
                        return;
                    }
                    if (p.get().viaSession() && !SAFE.contains(ctx.request().method())) {
                        String refused = crossSiteReason(ctx.request(), p.get().csrfToken());
                        if (refused != null) {
                            ctx.fail(new ApiException(403, refused.startsWith("CSRF") ? "csrf-token" : "cross-site", refused));
                            return;
                        }
                    }
                    ctx.put(Principal.KEY, p.get());
                    ctx.next();
                });
    }

    /** Why a state-changing cookie request is refused as cross-site, or null if it is same-origin with the token. */
    static String crossSiteReason(HttpServerRequest req, String csrfToken) {
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "cross-site request refused (Sec-Fetch-Site: " + site + ")";
        }
        String origin = req.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, host(req))) {
            return "cross-site request refused (Origin " + origin + ")";
        }
        if (!Secrets.constantTimeEquals(req.getHeader(CSRF_HEADER), csrfToken)) {
            return "CSRF token missing or wrong (header " + CSRF_HEADER + ")";
        }
        return null;
    }

    /** True if the Origin's host and port are the Host the request was sent to. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || "null".equals(origin)) return false;
        try {
            URI u = URI.create(origin);
            if (u.getHost() == null) return false;
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            int defaultPort = scheme.equals("https") ? 443 : 80;
            String originHost = u.getHost().toLowerCase(Locale.ROOT) + (port < 0 || port == defaultPort ? "" : ":" + port);
            String h = host.toLowerCase(Locale.ROOT);
            if (h.endsWith(":" + defaultPort)) h = h.substring(0, h.length() - (":" + defaultPort).length());
            return originHost.equals(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The host (and port) the request was sent to: the Host header, or :authority under HTTP/2. */
    static String host(HttpServerRequest req) {
        var a = req.authority();
        if (a == null) return req.getHeader("Host");
        return a.port() < 0 ? a.host() : a.host() + ":" + a.port();
    }

    private static String bearer(HttpServerRequest req) {
        String h = req.getHeader("Authorization");
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return h.substring(7).trim();
    }

    /** The principal the guard established; only valid behind it. */
    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(Principal.KEY);
        if (p == null) throw new IllegalStateException("route " + ctx.request().path() + " is not behind the auth handler");
        return p;
    }

    public static void requireAdmin(RoutingContext ctx) {
        if (!principal(ctx).isAdmin()) throw new ApiException(403, "admin-required", "admin rights required");
    }
}
