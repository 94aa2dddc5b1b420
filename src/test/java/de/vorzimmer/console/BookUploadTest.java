package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.PinHasher;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin's book editor stores books of a whole firm (up to 4 MiB), not only what fits the 64 KiB other API bodies
 * are limited to; a PIN set in the editor is stored keyed with the server's key.
 */
class BookUploadTest {
    @RegisterExtension
    static final ConsoleServer app = ConsoleServer.perClass();

    @Test
    void aBookLargerThanOtherApiBodiesIsStoredAndOneLargerThanFourMibIsRefused() throws Exception {
        ConsoleServer.Session admin = app.login("admin", VorzimmerServer.DEMO_PASSWORD);
        String yaml = new JsonObject(app.send("GET", "/api/v1/admin/book", admin.headers(), null).body()).getString("yaml");
        // a firm's book: the same book with 200 KB of notes (comments) in it
        StringBuilder large = new StringBuilder(yaml);
        for (int i = 0; i < 2_500; i++) large.append("# note ").append(i).append(": ").append("x".repeat(70)).append('\n');
        assertThat(large.length()).isGreaterThan(200_000);
        long before = app.server.routing().snapshot().book().version();
        HttpResponse<String> stored = app.send("PUT", "/api/v1/admin/book", admin.headers(),
                new JsonObject().put("yaml", large.toString()).encode());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(new JsonObject(stored.body()).getLong("version")).isGreaterThan(before);

        String huge = yaml + ("# " + "y".repeat(1_000) + "\n").repeat(4_300);
        HttpResponse<String> refused = app.send("PUT", "/api/v1/admin/book", admin.headers(),
                new JsonObject().put("yaml", huge).encode());
        assertThat(refused.statusCode()).isEqualTo(413);
    }

    @Test
    void aPinSetInTheEditorIsStoredKeyed() throws Exception {
        ConsoleServer.Session admin = app.login("admin", VorzimmerServer.DEMO_PASSWORD);
        String yaml = new JsonObject(app.send("GET", "/api/v1/admin/book", admin.headers(), null).body()).getString("yaml");
        String withPin = yaml.replaceFirst("(?m)^(\\s+)pin-hash: .*$", "$1pin: \"8642\"");
        assertThat(withPin).isNotEqualTo(yaml);
        HttpResponse<String> stored = app.send("PUT", "/api/v1/admin/book", admin.headers(),
                new JsonObject().put("yaml", withPin).encode());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(app.server.routing().snapshot().book().book().clients()).filteredOn(c -> c.pinHash() != null)
                .isNotEmpty().allSatisfy(c -> assertThat(PinHasher.isKeyed(c.pinHash())).isTrue());
    }
}
