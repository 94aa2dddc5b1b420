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
 *
 * <p>With a {@link PinPepper} (the server's key outside the database) new hashes are keyed:
 * {@code pbkdf2-sha256-pepper.KEYID$ITER$SALT_B64$MAC_B64}, the MAC an HMAC-SHA256 under the key over the PBKDF2
 * hash. A 4-digit PIN's PBKDF2 hash alone falls to 10,000 guesses; without the key nobody can test a guess. Unkeyed
 * hashes still verify, and {@link #rekey} turns one into a keyed hash without the PIN (the MAC is over the PBKDF2
 * hash it holds). A keyed hash verifies only with the key it was made under.
 */
public final class PinHasher {
    public static final int DEFAULT_ITERATIONS = 120_000;
    /** Enough for tests and benchmarks, far too few for production. */
    public static final int FAST_ITERATIONS = 1_000;
    /** Upper bound accepted from a hash string, so a crafted book cannot make verification hang. */
    public static final int MAX_ITERATIONS = 10_000_000;

    static final String SCHEME = "pbkdf2-sha256";
    private static final String KEYED_SCHEME = SCHEME + "-pepper.";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final SecureRandom random;
    private final PinPepper pepper;

    public PinHasher() {
        this(DEFAULT_ITERATIONS);
    }

    public PinHasher(int iterations) {
        this(iterations, new SecureRandom());
    }

    public PinHasher(int iterations, SecureRandom random) {
        this(iterations, random, null);
    }

    private PinHasher(int iterations, SecureRandom random, PinPepper pepper) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + " out of range 1.." + MAX_ITERATIONS);
        }
        this.iterations = iterations;
        this.random = Objects.requireNonNull(random, "random == null");
        this.pepper = pepper;
    }

    /** This hasher with the server's key: new hashes are keyed, keyed hashes of this key verify. */
    public PinHasher withPepper(PinPepper pepper) {
        return new PinHasher(iterations, random, Objects.requireNonNull(pepper, "pepper == null"));
    }

    /** The key new hashes are made under, or null. */
    public PinPepper pepper() {
        return pepper;
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
        return format(iterations, salt, pepper == null ? hash : pepper.mac(hash));
    }

    private String format(int iter, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return (pepper == null ? SCHEME : KEYED_SCHEME + pepper.id()) + "$" + iter + "$" + b64.encodeToString(salt)
                + "$" + b64.encodeToString(hash);
    }

    /** True if {@code hash} is keyed (by any key). */
    public static boolean isKeyed(String hash) {
        Parsed p = parse(hash);
        return p != null && p.keyId != null;
    }

    /** True if {@code hash} is keyed, but under another key than this hasher's (or this hasher has none). */
    public boolean keyedElsewhere(String hash) {
        Parsed p = parse(hash);
        return p != null && p.keyId != null && (pepper == null || !pepper.id().equals(p.keyId));
    }

    /**
     * An unkeyed hash as a keyed one under this hasher's key, without the PIN: it verifies the same PINs. A hash that
     * is keyed already, or is no hash, is returned as it is.
     *
     * @throws IllegalStateException if this hasher has no key
     */
    public String rekey(String hash) {
        if (pepper == null) throw new IllegalStateException("no PIN pepper to key hashes with");
        Parsed p = parse(hash);
        if (p == null || p.keyId != null) return hash;
        return format(p.iterations, p.salt, pepper.mac(p.hash));
    }

    /** True if {@code pin} is the PIN {@code hash} was made from; false for a wrong PIN or a malformed hash. */
    public boolean verify(String pin, String hash) {
        if (pin == null) return false;
        Parsed p = parse(hash);
        if (p == null) return false;
        if (p.keyId != null && (pepper == null || !pepper.id().equals(p.keyId))) return false;
        byte[] actual = derive(pin, p.salt, p.iterations, HASH_BYTES);
        if (p.keyId != null) actual = pepper.mac(actual);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** True if {@code text} has the form {@link #hash} produces (it says nothing about which PIN). */
    public static boolean isHash(String text) {
        return parse(text) != null;
    }

    /** @param keyId the id of the key a keyed hash was made under, null for an unkeyed hash */
    private record Parsed(String keyId, int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String text) {
        if (text == null) return null;
        String[] parts = text.split("\\$", -1);
        if (parts.length != 4 || !parts[1].matches("[1-9][0-9]{0,7}")) return null;
        String keyId = null;
        if (parts[0].startsWith(KEYED_SCHEME)) {
            keyId = parts[0].substring(KEYED_SCHEME.length());
            if (!keyId.matches("[0-9a-f]{8}")) return null;
        } else if (!parts[0].equals(SCHEME)) {
            return null;
        }
        int iter = Integer.parseInt(parts[1]);
        if (iter > MAX_ITERATIONS) return null;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[2]);
            byte[] hash = b64.decode(parts[3]);
            if (salt.length < 8 || hash.length != HASH_BYTES) return null;
            return new Parsed(keyId, iter, salt, hash);
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
        return "PinHasher[" + (pepper == null ? SCHEME : KEYED_SCHEME + pepper.id()) + ", " + iterations + " iterations]";
    }
}
