package de.vorzimmer.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BookSnapshotTest {
    private static final Book DEMO = Books.load(Books.demoText());

    static Book decode(byte[] bytes) {
        try {
            return BookSnapshot.decode(bytes);
        } catch (BookSnapshotException e) {
            throw new AssertionError("snapshot should decode but: " + e.getMessage(), e);
        }
    }

    private static BookSnapshotException refused(byte[] bytes) {
        return assertThrows(BookSnapshotException.class, () -> BookSnapshot.decode(bytes));
    }

    /** Puts a correct CRC (and length) into the header, so the checks behind the CRC are reached. */
    static byte[] withValidCrc(byte[] bytes) {
        byte[] out = bytes.clone();
        int payload = out.length - BookSnapshot.HEADER_BYTES;
        CRC32 crc = new CRC32();
        crc.update(out, BookSnapshot.HEADER_BYTES, payload);
        BookSnapshot.put32(out, 8, payload);
        BookSnapshot.put32(out, 12, (int) crc.getValue());
        return out;
    }


    // ---- round trips

    @Test
    void demoBookRoundTrips() {
        assertThat(decode(BookSnapshot.encode(DEMO))).isEqualTo(DEMO);
    }

    @Test
    void emptyBookRoundTrips() {
        assertThat(decode(BookSnapshot.encode(Book.empty()))).isEqualTo(Book.empty());
    }

    @Test
    void decodedDemoBookWritesTheSameYaml() {
        assertThat(BookWriter.write(decode(BookSnapshot.encode(DEMO)))).isEqualTo(BookWriter.write(DEMO));
    }

    @Test
    void largeBookRoundTripsAndIsSmallerThanItsYaml() {
        Book big = new SnapshotBooks(new Random(42)).large(2_000, 20, 5);
        byte[] bytes = BookSnapshot.encode(big);

        assertThat(decode(bytes)).isEqualTo(big);
        assertThat(bytes.length).isLessThan(BookWriter.write(big).length() / 2);
    }

    @Test
    void encodingIsDeterministic() {
        Book big = new SnapshotBooks(new Random(7)).large(50, 5, 3);
        assertThat(BookSnapshot.encode(big)).isEqualTo(BookSnapshot.encode(new SnapshotBooks(new Random(7))
                .large(50, 5, 3)));
    }

    @Property(tries = 300)
    void generatedBookRoundTrips(@ForAll long seed) {
        Book book = new SnapshotBooks(new Random(seed)).varied();

        assertThat(decode(BookSnapshot.encode(book))).isEqualTo(book);
    }

    @Test
    void aTextWithALoneSurrogateIsRefusedWhenEncoding() {
        Book odd = new Book(1, Defaults.STANDARD, List.of(
                new Secretary("s", "half \uD83D pair", "PJSIP/s", List.of())), List.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BookSnapshot.encode(odd));
        assertThat(e.getMessage()).contains("lone surrogate", "U+D83D");
    }

    // ---- damage

    @Test
    void wrongMagicIsRefused() {
        byte[] b = BookSnapshot.encode(DEMO);
        b[0] = 'X';
        assertThat(refused(b).getMessage()).contains("not a book snapshot", "magic");
    }

    @Test
    void anotherFormatIsRefused() {
        byte[] b = BookSnapshot.encode(DEMO);
        b[5] = (byte) (BookSnapshot.FORMAT + 1);
        assertThat(refused(b).getMessage())
                .isEqualTo("book snapshot format " + (BookSnapshot.FORMAT + 1) + ", this release reads format "
                        + BookSnapshot.FORMAT);
    }

    @Test
    void nonZeroReservedHeaderFieldIsRefused() {
        byte[] b = BookSnapshot.encode(DEMO);
        b[7] = 1;
        assertThat(refused(b).getMessage()).contains("reserved field is 1");
    }

    @Test
    void everyFlippedPayloadByteFailsTheCrc() {
        byte[] good = BookSnapshot.encode(DEMO);
        for (int i = BookSnapshot.HEADER_BYTES; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x10;
            assertThat(refused(b).getMessage()).as("byte %d", i).contains("CRC32");
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] good = BookSnapshot.encode(DEMO);
        for (int n = 0; n < good.length; n++) {
            assertThat(refused(Arrays.copyOf(good, n)).getMessage()).as("first %d bytes", n).contains("truncated");
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] good = BookSnapshot.encode(DEMO);
        byte[] b = Arrays.copyOf(good, good.length + 3);
        assertThat(refused(b).getMessage()).contains("3 trailing bytes");
    }

    @Test
    void bytesLeftOverAfterTheBookAreRefusedEvenWithAMatchingCrc() {
        byte[] good = BookSnapshot.encode(DEMO);
        byte[] b = withValidCrc(Arrays.copyOf(good, good.length + 2));
        assertThat(refused(b).getMessage()).contains("2 bytes left over after the book");
    }

    @Test
    void payloadCutShortWithAMatchingCrcIsRefused() {
        byte[] good = BookSnapshot.encode(DEMO);
        for (int n = BookSnapshot.HEADER_BYTES; n < good.length; n++) {
            byte[] b = withValidCrc(Arrays.copyOf(good, n));
            assertThat(refused(b).getMessage()).as("first %d bytes", n).startsWith("book snapshot");
        }
    }

    /**
     * What a client without e-mail, on-call list or own escalation ends with: no e-mail (1), e-mail-for (1), no
     * on-call entries (1), escalation after 600 s (2), ring 30 s (1), 2 rounds (1).
     */
    private static final int TAIL = 7;

    @Test
    void outOfRangeContactClassIsRefused() {
        // one client, one contact without a note, no rules, no intake, no digest, no holidays, no calendar, no
        // instructions, then the TAIL bytes of e-mail, on-call and escalation: the contact class is the ninth byte
        // before them
        Client c = new Client("c", "C", null, null, List.of("+49301111111"), null, null, "DE",
                Defaults.STANDARD.timezone(), "de", null, List.of(),
                List.of(new Contact("K", List.of(NumberPattern.exact("+49302222222")),
                        ContactClass.BLOCKED)), List.of());
        Book book = new Book(1, Defaults.STANDARD, List.of(), List.of(c));
        byte[] b = BookSnapshot.encode(book);
        assertThat(b[b.length - TAIL - 9]).isEqualTo((byte) ContactClass.BLOCKED.ordinal());

        b[b.length - TAIL - 9] = 3;
        assertThat(refused(withValidCrc(b)).getMessage()).contains("contact class 3 out of range 0..2");
    }

    @Test
    void outOfRangeActionIsRefused() {
        Rule rule = new Rule(Condition.ALWAYS, Action.REJECT, false);
        Client c = new Client("c", "C", null, null, List.of("+49301111111"), null, null, "DE",
                Defaults.STANDARD.timezone(), "de", null, List.of(), List.of(),
                List.of(rule));
        byte[] b = BookSnapshot.encode(new Book(1, Defaults.STANDARD, List.of(), List.of(c)));
        // ... rules count 1, flags 0, action, intake count 0, digest 0, holidays 0, calendar 0, book-into 0,
        // no instructions, then the TAIL
        assertThat(b[b.length - TAIL - 7]).isEqualTo((byte) Action.REJECT.ordinal());

        b[b.length - TAIL - 7] = 9;
        assertThat(refused(withValidCrc(b)).getMessage()).contains("action 9 out of range 0..3");
    }

    @Test
    void absurdStringCountIsRefusedBeforeAnythingIsAllocated() {
        byte[] good = BookSnapshot.encode(DEMO);
        // the payload starts with the string table's count; put 2^31-1 in its place (a five-byte varint)
        int oldCountBytes = 1;
        while ((good[BookSnapshot.HEADER_BYTES + oldCountBytes - 1] & 0x80) != 0) oldCountBytes++;
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] b = new byte[good.length - oldCountBytes + huge.length];
        System.arraycopy(good, 0, b, 0, BookSnapshot.HEADER_BYTES);
        System.arraycopy(huge, 0, b, BookSnapshot.HEADER_BYTES, huge.length);
        System.arraycopy(good, BookSnapshot.HEADER_BYTES + oldCountBytes, b, BookSnapshot.HEADER_BYTES + huge.length,
                good.length - BookSnapshot.HEADER_BYTES - oldCountBytes);

        assertThat(refused(withValidCrc(b)).getMessage())
                .contains("strings: 2147483647 announced, more than the");
    }

    @Test
    void absurdPayloadLengthInTheHeaderIsRefused() {
        byte[] b = BookSnapshot.encode(DEMO);
        BookSnapshot.put32(b, 8, -1);
        assertThat(refused(b).getMessage()).contains("truncated", "4294967295");
    }

    @Test
    void anyChangedPayloadByteWithAMatchingCrcGivesABookOrAClearRefusal() {
        byte[] good = BookSnapshot.encode(DEMO);
        Random r = new Random(1);
        for (int i = BookSnapshot.HEADER_BYTES; i < good.length; i++) {
            for (int k = 0; k < 4; k++) {
                byte[] b = good.clone();
                b[i] = (byte) r.nextInt(256);
                byte[] damaged = withValidCrc(b);
                try {
                    // a changed text or number that still makes a valid book is not damage the codec can see
                    assertThat(BookSnapshot.decode(damaged)).isNotNull();
                } catch (BookSnapshotException e) {
                    assertThat(e.getMessage()).as("byte %d", i).startsWith("book snapshot");
                }
            }
        }
    }
}
