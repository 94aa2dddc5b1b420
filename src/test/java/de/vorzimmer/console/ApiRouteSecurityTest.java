package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walks every route on the real server's router and proves that each {@code /api/v1} route refuses requests
 * without credentials (401) and state-changing requests that carry a valid session cookie but come from a
 * foreign origin, from another site, or without the CSRF token (403). Routes added by other features are
 * covered because the guard sits in front of {@code /api/v1/*}.
 */
class ApiRouteSecurityTest {
    private static final List<HttpMethod> ALL = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @RegisterExtension
    static final ConsoleServer app = ConsoleServer.perClass();

    record Endpoint(HttpMethod method, String path, String declared) {
    }

    /** Every (method, concrete path) the router answers under /api. Routes without methods count for all. */
    static List<Endpoint> apiEndpoints() {
        Set<Endpoint> out = new LinkedHashSet<>();
        for (Route r : app.server.httpRouter().getRoutes()) {
            String declared = r.getPath() != null ? r.getPath() : r.getName();
            if (declared == null || !declared.startsWith("/api/v1")) continue;
            String path = declared.replaceAll(":[A-Za-z]+", "1").replace("*", "");
            if (path.equals("/api/v1/")) path = path + "anything";
            Set<HttpMethod> methods = r.methods() == null || r.methods().isEmpty() ? Set.copyOf(ALL) : r.methods();
            for (HttpMethod m : methods) out.add(new Endpoint(m, path, declared));
        }
        return new ArrayList<>(out);
    }

    @Test
    void theRouterHasTheApiRoutesOfEveryFeature() {
        List<String> paths = apiEndpoints().stream().map(e -> e.method() + " " + e.declared()).toList();
        assertThat(paths).contains("POST /api/v1/route", "GET /api/v1/events", "GET /api/v1/clients",
                "POST /api/v1/clients/:id/status", "PUT /api/v1/admin/book", "POST /api/v1/calls/:callId/choice");
        assertThat(apiEndpoints()).hasSizeGreaterThan(20);
    }

    @Test
    void everyApiRouteRefusesRequestsWithoutCredentials() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Endpoint e : apiEndpoints()) {
            HttpResponse<String> r = app.send(e.method().name(), e.path(), Map.of(), body(e));
            soft.assertThat(r.statusCode()).as("%s %s (%s) without credentials", e.method(), e.path(), e.declared())
                    .isEqualTo(401);
            HttpResponse<String> bad = app.send(e.method().name(), e.path(),
                    Map.of("Authorization", "Bearer vzt_not-a-token"), body(e));
            soft.assertThat(bad.statusCode()).as("%s %s with an unknown token", e.method(), e.path()).isEqualTo(401);
            HttpResponse<String> stale = app.send(e.method().name(), e.path(),
                    Map.of("Cookie", AuthHandler.COOKIE + "=vzs_expired-or-forged"), body(e));
            soft.assertThat(stale.statusCode()).as("%s %s with an unknown session", e.method(), e.path()).isEqualTo(401);
        }
        soft.assertAll();
    }

    @Test
    void everyStateChangingApiRouteRefusesCrossSiteRequestsWithAValidSession() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        ConsoleServer.Session admin = app.admin();
        int checked = 0;
        for (Endpoint e : apiEndpoints()) {
            if (SAFE.contains(e.method())) continue;
            checked++;
            String host = "127.0.0.1:" + app.server.httpPort();
            HttpResponse<String> foreign = app.send(e.method().name(), e.path(), Map.of("Cookie", admin.cookie(),
                    "X-CSRF-Token", admin.csrf(), "Origin", "http://evil.example"), body(e));
            soft.assertThat(foreign.statusCode()).as("%s %s from a foreign Origin", e.method(), e.path()).isEqualTo(403);
            HttpResponse<String> site = app.send(e.method().name(), e.path(), Map.of("Cookie", admin.cookie(),
                    "X-CSRF-Token", admin.csrf(), "Sec-Fetch-Site", "cross-site"), body(e));
            soft.assertThat(site.statusCode()).as("%s %s with Sec-Fetch-Site: cross-site", e.method(), e.path())
                    .isEqualTo(403);
            HttpResponse<String> noToken = app.send(e.method().name(), e.path(), Map.of("Cookie", admin.cookie(),
                    "Origin", "http://" + host), body(e));
            soft.assertThat(noToken.statusCode()).as("%s %s same-origin without CSRF token", e.method(), e.path())
                    .isEqualTo(403);
            HttpResponse<String> wrongToken = app.send(e.method().name(), e.path(), Map.of("Cookie", admin.cookie(),
                    "X-CSRF-Token", "wrong"), body(e));
            soft.assertThat(wrongToken.statusCode()).as("%s %s with a wrong CSRF token", e.method(), e.path())
                    .isEqualTo(403);
        }
        soft.assertThat(checked).as("state-changing API routes checked").isGreaterThan(10);
        soft.assertAll();
    }

    @Test
    void aSameOriginRequestWithTheTokenAndAnApiTokenArePassedThrough() throws Exception {
        ConsoleServer.Session admin = app.admin();
        String host = "127.0.0.1:" + app.server.httpPort();
        HttpResponse<String> ok = app.send("POST", "/api/v1/route", Map.of("Cookie", admin.cookie(), "X-CSRF-Token",
                admin.csrf(), "Origin", "http://" + host, "Sec-Fetch-Site", "same-origin"),
                "{\"to\":\"030 1234567\",\"from\":\"030 9876543\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"client\":\"mueller\"");

        HttpResponse<String> created = app.send("POST", "/api/v1/admin/tokens", Map.of("Cookie", admin.cookie(),
                "X-CSRF-Token", admin.csrf()), "{\"name\":\"crm\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String token = new io.vertx.core.json.JsonObject(created.body()).getString("token");
        HttpResponse<String> machine = app.send("POST", "/api/v1/route", Map.of("Authorization", "Bearer " + token),
                "{\"to\":\"030 1234567\",\"from\":\"030 9876543\"}");
        assertThat(machine.statusCode()).isEqualTo(200);
    }

    @Test
    void publicPathsStayOutsideTheGuard() throws Exception {
        assertThat(app.send("GET", "/health", Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(app.send("GET", "/console/", Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(app.send("GET", "/console/app.js", Map.of(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> login = app.send("POST", "/auth/login", Map.of(), "{\"username\":\"admin\",\"password\":\"nope-nope\"}");
        assertThat(login.statusCode()).isEqualTo(401);
        HttpResponse<String> crossLogin = app.send("POST", "/auth/login", Map.of("Origin", "http://evil.example"),
                "{\"username\":\"admin\",\"password\":\"" + VorzimmerServer.DEMO_PASSWORD + "\"}");
        assertThat(crossLogin.statusCode()).isEqualTo(403);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrict() throws Exception {
        HttpResponse<String> r = app.send("POST", "/auth/login", Map.of(),
                "{\"username\":\"anna\",\"password\":\"" + VorzimmerServer.DEMO_PASSWORD + "\"}");
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContain("Secure");
    }

    @Test
    void aSecretaryIsNoAdmin() throws Exception {
        ConsoleServer.Session anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<String> r = app.send("GET", "/api/v1/admin/users", Map.of("Cookie", anna.cookie()), null);
        assertThat(r.statusCode()).isEqualTo(403);
    }

    private static String body(Endpoint e) {
        return SAFE.contains(e.method()) ? null : "{}";
    }
}
