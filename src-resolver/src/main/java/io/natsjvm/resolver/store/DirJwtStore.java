package io.natsjvm.resolver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Account JWTs on disk, one {@code <account key>.jwt} file each. A write goes to a temporary
 * file that is fsynced, then atomically renamed over the old file, then the directory is
 * fsynced: after a crash a file holds either the old or the new JWT, never a mix. Leftover
 * temporary files are removed on load; a file that does not hold a plausible JWT is skipped and
 * reported, never served.
 */
public final class DirJwtStore {
    private static final String SUFFIX = ".jwt";
    private static final String TMP = ".tmp";
    private final Path dir;
    private final Map<String, String> jwts = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();

    public DirJwtStore(Path dir, Predicate<String> validName) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TMP)) {
                    Files.deleteIfExists(f); // an interrupted write: the real file is intact
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (!validName.test(key)) {
                    problems.add("skipped " + f + ": the name is not an account public key");
                    continue;
                }
                String text = read(f);
                if (text == null) {
                    continue;
                }
                if (!looksLikeJwt(text)) {
                    problems.add("skipped " + f + ": not an account JWT");
                    continue;
                }
                jwts.put(key, text);
            }
        }
    }

    /**
     * The file's text, or null (with the reason recorded) when it cannot be read or is not UTF-8:
     * one bad file refuses its account, never the whole store.
     */
    private String read(Path f) {
        if (!Files.isRegularFile(f)) {
            problems.add("skipped " + f + ": not a regular file");
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(f);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().trim();
        } catch (CharacterCodingException e) {
            problems.add("skipped " + f + ": not UTF-8 text");
        } catch (IOException e) {
            problems.add("skipped " + f + ": cannot be read (" + e.getMessage() + ")");
        }
        return null;
    }

    private static boolean looksLikeJwt(String text) {
        return text.startsWith("eyJ") && text.chars().filter(c -> c == '.').count() == 2;
    }

    /** Files that were found unusable while loading (for the log). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Path dir() {
        return dir;
    }

    public String get(String key) {
        return jwts.get(key);
    }

    /**
     * The store's fingerprint as the reference computes it: the XOR of the SHA-256 of every stored
     * JWT. Two stores with the same JWTs have the same hash, whatever the order they arrived in,
     * so a cluster peer answers a PACK request only when the hashes differ.
     */
    public byte[] hash() {
        byte[] h = new byte[32];
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String jwt : jwts.values()) {
            byte[] d = sha.digest(jwt.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < h.length; i++) {
                h[i] ^= d[i];
            }
        }
        return h;
    }

    /** All stored account keys, sorted. */
    public List<String> keys() {
        return new ArrayList<>(new TreeMap<>(jwts).keySet());
    }

    /** Durably replaces the JWT of {@code key}. */
    public synchronized void put(String key, String jwt) throws IOException {
        Path target = dir.resolve(key + SUFFIX);
        Path tmp = dir.resolve(key + SUFFIX + TMP);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(jwt.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
        jwts.put(key, jwt);
    }

    /** Removes an account's JWT (the file is renamed to {@code .jwt.deleted}, as the reference does). */
    public synchronized boolean delete(String key) throws IOException {
        if (jwts.remove(key) == null) {
            return false;
        }
        Path f = dir.resolve(key + SUFFIX);
        if (Files.exists(f)) {
            Files.move(f, dir.resolve(key + SUFFIX + ".deleted"), StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        }
        return true;
    }

    /** Removes an account's JWT file for good (a cache resolver evicting it). */
    public synchronized void evict(String key) {
        jwts.remove(key);
        try {
            Files.deleteIfExists(dir.resolve(key + SUFFIX));
        } catch (IOException e) {
            // the entry is gone from the index; a leftover file is read again only at restart
        }
    }

    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory; the rename itself is atomic.
        }
    }
}
