package de.vorzimmer.book;

import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class BookStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final PinHasher PINS = PinHasher.fast();

    @TempDir
    Path dir;
    Stores store;

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("vz.db"), Durability.FULL, PINS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    public static Book demo() throws Exception {
        try (InputStream in = BookStoreTest.class.getResourceAsStream("/demo/book.yaml")) {
            if (in == null) throw new IOException("/demo/book.yaml is not on the classpath");
            return BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), PINS);
        }
    }

    @Test
    void emptyStoreHasNoBook() {
        assertThat(store.books().current()).isEmpty();
        assertThat(store.books().currentVersion()).isEmpty();
    }

    @Test
    void savedBookReadsBackEqualWithoutPlainPins() throws Exception {
        Book book = demo();
        long id = store.books().save(book, "import demo.yaml", T0);

        assertThat(store.books().current()).contains(book);
        BookStore.Version v = store.books().currentVersion().orElseThrow();
        assertThat(v.id()).isEqualTo(id);
        assertThat(v.loadedAt()).isEqualTo(T0);
        assertThat(v.source()).isEqualTo("import demo.yaml");
        assertThat(v.yaml()).contains("pin-hash").doesNotContain("4711").doesNotContain("190283");
    }

    @Test
    void newestSavedBookIsInForce() throws Exception {
        Book demo = demo();
        store.books().save(demo, "first", T0);
        store.books().save(Book.empty(), "second", T0.plusSeconds(1));
        assertThat(store.books().current()).contains(Book.empty());
        long third = store.books().save(demo, "third", T0.plusSeconds(2));
        assertThat(store.books().current()).contains(demo);
        assertThat(store.books().currentVersion().orElseThrow().id()).isEqualTo(third);
    }

    @Test
    void bookSurvivesReopening() throws Exception {
        Book book = demo();
        store.books().save(book, "import", T0);
        store.close();
        store = Stores.open(dir.resolve("vz.db"), Durability.FULL, PINS);
        assertThat(store.books().current()).contains(book);
    }

    @Test
    void snapshotHoldsBookOverridesAndDuty() throws Exception {
        RoutingSnapshot empty = store.snapshots().at(T0);
        assertThat(empty.book().clients()).isEmpty();

        Book book = demo();
        store.books().save(book, "import", T0);
        Override dnd = store.overrides().add(new Override(0, "mueller", OverrideKind.DND, null, T0, null, null, "cli"));
        store.overrides().add(new Override(0, "smith", OverrideKind.DND, null, T0.minusSeconds(600), T0.minusSeconds(60),
                null, "cli"));
        store.duty().set("ben", false, T0, "console");

        RoutingSnapshot s = store.snapshots().at(T0);
        assertThat(s.book().book()).isEqualTo(book);
        assertThat(s.book().client("mueller")).isNotNull();
        assertThat(s.live().of("mueller")).containsExactly(dnd);
        assertThat(s.live().of("smith")).as("ended before the snapshot's time").isEmpty();
        assertThat(s.offDuty()).containsExactly("ben");
    }
}
