package de.vorzimmer.book;


import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2 hashes of phone-in PINs, so neither the store nor an exported book holds a PIN.
 * The hash string records its iteration count, {@code pbkdf2-sha256$ITER$SALT_B64$HASH_B64}, so a hash made
 * by any instance verifies with any other. PINs are never logged or put into exception messages.
 */
public final class PinHasher {
    public static final int DEFAULT_ITERATIONS = 120_000;
    /** Enough for tests and benchmarks, far too few for production. */
    public static final int FAST_ITERATIONS = 1_000;
    /** Upper bound accepted from a hash string, so a crafted book cannot make verification hang. */
    public static final int MAX_ITERATIONS = 10_000_000;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final SecureRandom random;

    public PinHasher() {
        this(DEFAULT_ITERATIONS);
    }

    public PinHasher(int iterations) {
        this(iterations, new SecureRandom());
    }

    public PinHasher(int iterations, SecureRandom random) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + " out of range 1.." + MAX_ITERATIONS);
        }
        this.iterations = iterations;
        this.random = Objects.requireNonNull(random, "random == null");
    }

    public static PinHasher fast() {
        return new PinHasher(FAST_ITERATIONS);
    }

    public int iterations() {
        return iterations;
    }

    /** A new salted hash of {@code pin}; two calls give different strings that both verify. */
    public String hash(String pin) {
        Objects.requireNonNull(pin, "pin == null");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(pin, salt, iterations, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True if {@code pin} is the PIN {@code hash} was made from; false for a wrong PIN or a malformed hash. */
    public boolean verify(String pin, String hash) {
        if (pin == null) return false;
        Parsed p = parse(hash);
        if (p == null) return false;
        byte[] actual = derive(pin, p.salt, p.iterations, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** True if {@code text} has the form {@link #hash} produces (it says nothing about which PIN). */
    public static boolean isHash(String text) {
        return parse(text) != null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String text) {
        if (text == null) return null;
        String[] parts = text.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME) || !parts[1].matches("[1-9][0-9]{0,7}")) return null;
        int iter = Integer.parseInt(parts[1]);
        if (iter > MAX_ITERATIONS) return null;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[2]);
            byte[] hash = b64.decode(parts[3]);
            if (salt.length < 8 || hash.length != HASH_BYTES) return null;
            return new Parsed(iter, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(String pin, byte[] salt, int iterations, int bytes) {
        char[] chars = pin.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // PBKDF2WithHmacSHA256 is required of every Java SE platform; its absence is a broken runtime.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "PinHasher[" + SCHEME + ", " + iterations + " iterations]";
    }
}
