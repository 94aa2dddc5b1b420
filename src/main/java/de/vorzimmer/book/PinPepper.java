package de.vorzimmer.book;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secret for phone-in PIN hashes (a "pepper"), kept in a key file outside the database and the book:
 * a PIN hash is an HMAC-SHA256 under this key over the salted PBKDF2 hash, so a book export or a copied database alone
 * does not let anyone try PINs offline. The key file holds the key in Base64 on one line; {@link #loadOrCreate} makes
 * one of 32 random bytes, readable by its owner only. The key is never logged; {@link #id()} names it (the first 8 hex
 * digits of a SHA-256 over it) so that a hash made under another key can be told apart from a wrong PIN.
 */
public final class PinPepper {
    public static final int MIN_BYTES = 32;
    /** The key file's name beside a SQLite database file, when {@code pin.pepper-file} is not set. */
    public static final String DEFAULT_FILE_NAME = "pin-pepper.key";
    private static final String MAC = "HmacSHA256";

    private final byte[] key;
    private final String id;

    private PinPepper(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("a PIN pepper needs at least " + MIN_BYTES + " bytes, has " + key.length);
        }
        this.key = key.clone();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(this.key);
            this.id = HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static PinPepper of(byte[] key) {
        return new PinPepper(Objects.requireNonNull(key, "key == null"));
    }

    /** A new random key (not stored anywhere). */
    public static PinPepper random(SecureRandom random) {
        byte[] key = new byte[MIN_BYTES];
        random.nextBytes(key);
        return new PinPepper(key);
    }

    /** The key file for a database: beside a SQLite file, else in the working directory. */
    public static Path defaultFileFor(String db) {
        if (db == null || db.startsWith("jdbc:")) return Path.of(DEFAULT_FILE_NAME);
        Path parent = Path.of(db).toAbsolutePath().getParent();
        return parent == null ? Path.of(DEFAULT_FILE_NAME) : parent.resolve(DEFAULT_FILE_NAME);
    }

    /**
     * Reads the key file.
     *
     * @throws IOException if it cannot be read, or does not hold a Base64 key of at least {@value #MIN_BYTES} bytes
     */
    public static PinPepper load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a Base64 key");
        }
        try {
            if (key.length < MIN_BYTES) {
                throw new IOException(file + " holds " + key.length + " bytes; a PIN pepper needs at least " + MIN_BYTES);
            }
            return new PinPepper(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Reads the key file, or makes it (owner-only, with its folder) with a new random key if there is none. */
    public static PinPepper loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) return load(file);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        PinPepper fresh = random(random);
        byte[] line = (Base64.getEncoder().encodeToString(fresh.key) + "\n").getBytes(StandardCharsets.US_ASCII);
        // written whole under a temporary name, then linked into place: a second process sees no key or all of it
        Path temp = parent == null ? Files.createTempFile("pin-pepper", ".tmp")
                : Files.createTempFile(parent, ".pin-pepper", ".tmp");
        try {
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(temp, line, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raced) {
            return load(file); // another process made it first: its key is the one
        } finally {
            Files.deleteIfExists(temp);
        }
        return fresh;
    }

    /** Names the key without revealing it. */
    public String id() {
        return id;
    }

    byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key, MAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " is not available", e);
        }
    }

    @Override
    public String toString() {
        return "PinPepper[" + id + "]";
    }
}
