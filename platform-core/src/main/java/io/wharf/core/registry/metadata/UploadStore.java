package io.wharf.core.registry.metadata;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.StoragePaths;
import io.wharf.core.storage.driver.StorageDriver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blob upload sessions, shared by every node through the database.
 *
 * <p>Each accepted chunk is written to its own new object ({@link StoragePaths#uploadChunk}); the
 * session row then advances by compare-and-set on its size, so two requests racing on one upload
 * cannot both win, and a chunk whose request lost (or failed half-way) is deleted and never counted.
 * No transaction is held while bytes stream.
 *
 * <p>To avoid re-reading an upload when it completes, the node that receives a chunk keeps the
 * running SHA-256 state of the upload in memory; when the completing request lands on a node that
 * does not have the state for the current size (another node took the last chunk, or a restart), the
 * digest is computed by reading the chunks back.
 */
@Component
public class UploadStore {

    private static final Logger log = LoggerFactory.getLogger(UploadStore.class);
    private static final int MAX_HASH_STATES = 10_000;

    private final StorageDriver driver;
    private final UploadSessionRepository sessions;
    private final java.time.Clock clock;
    private final Map<UUID, HashState> hashStates = new ConcurrentHashMap<>();
    private final AsyncCommit asyncCommit;
    private final TransactionTemplate transaction;

    UploadStore(StorageDriver driver, UploadSessionRepository sessions, java.time.Clock clock, AsyncCommit asyncCommit,
                PlatformTransactionManager transactions) {
        this.asyncCommit = asyncCommit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.driver = driver;
        this.sessions = sessions;
    }

    private record HashState(long size, MessageDigest sha256) {
    }

    /** Starts a new, empty upload to {@code repository} (committed without waiting for a WAL flush: {@link AsyncCommit}). */
    @Transactional
    public UploadSession start(RepositoryName repository) {
        asyncCommit.relax();
        UploadSessionEntity entity = sessions.save(new UploadSessionEntity(UUID.randomUUID(), repository.value()));
        return UploadSession.of(entity);
    }

    /**
     * The upload {@code id} of {@code repository}.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UPLOAD_UNKNOWN} when there is no such upload in that repository
     */
    @Transactional(readOnly = true)
    public UploadSession get(RepositoryName repository, UUID id) {
        return sessions.findById(id)
            .filter(s -> s.repositoryName().equals(repository.value()))
            .map(UploadSession::of)
            .orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is not known in " + repository));
    }

    /**
     * A chunk written to the store but not yet recorded in the session: the session as it will be once
     * the chunk counts, the chunk's path, and the SHA-256 of everything up to its end when it could be
     * continued from this node's memory.
     */
    public record Chunk(UploadSession session, String path, @Nullable MessageDigest sha256) {

        /** The digest of the whole upload with the chunk, when known without reading the chunks back. */
        public Optional<Digest> digest(String algorithm) {
            return Digest.SHA256.equals(algorithm) && sha256 != null ? Optional.of(Digest.from(algorithm, UploadStore.clone(sha256)))
                : Optional.empty();
        }
    }

    /**
     * Appends {@code content} to the upload (PATCH): writes it as a new chunk, then records it by
     * compare-and-set on the session's size.
     *
     * @param start          where the client says the chunk starts ({@code Content-Range}), or null
     * @param declaredLength the length the client declared for the chunk, or null
     * @return the session after the append
     * @throws PlatformException {@link ErrorCode#BLOB_UPLOAD_INVALID} with 416 when the chunk does not
     *         continue the upload, or 400 when its length differs from the declared one
     */
    public UploadSession append(UploadSession session, @Nullable Long start, @Nullable Long declaredLength,
                                InputStream content) {
        Optional<Chunk> written = write(session, start, declaredLength, content);
        if (written.isEmpty()) {
            return session;
        }
        Chunk chunk = written.get();
        UploadSession after = chunk.session();
        Integer advanced = transaction.execute(status -> {
            asyncCommit.relax(); // a lost advance makes the client resume from the size before it (416), see AsyncCommit
            return sessions.advance(session.id(), session.size(), after.size(), String.join(",", after.chunks()));
        });
        if (advanced == null || advanced == 0) {
            deleteQuietly(chunk.path());
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                "the upload was changed concurrently; get its status and continue from its current size");
        }
        rememberHash(session.id(), after.size(), chunk.sha256());
        return after;
    }

    /**
     * Writes {@code content} as a new chunk of the upload without recording it in the session, which
     * writes nothing to the database: the completing PUT of a monolithic push takes the upload with
     * {@link #claim} at the size it had before this chunk, in the transaction that commits the blob.
     * The caller deletes the upload (or the chunk) when that fails.
     *
     * @return the chunk; empty when {@code content} was empty (nothing is written)
     * @throws PlatformException as {@link #append}
     */
    public Optional<Chunk> write(UploadSession session, @Nullable Long start, @Nullable Long declaredLength,
                                 InputStream content) {
        if (start != null && start != session.size()) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                "chunk starts at " + start + " but the upload has " + session.size() + " bytes");
        }
        String chunk = StoragePaths.uploadChunk(session.id(), session.size());
        MessageDigest sha256 = continuedHash(session);
        DigestingStream counted = new DigestingStream(content, sha256);
        boolean kept = false;
        try {
            long written = driver.write(chunk, counted);
            if (declaredLength != null && written != declaredLength) {
                throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "received " + written + " bytes but the request declared " + declaredLength);
            }
            if (written == 0) {
                return Optional.empty();
            }
            List<String> chunks = new ArrayList<>(session.chunks());
            chunks.add(chunk);
            kept = true;
            return Optional.of(new Chunk(new UploadSession(session.id(), session.repository(), session.size() + written,
                List.copyOf(chunks)), chunk, sha256));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!kept) {
                deleteQuietly(chunk);
            }
        }
    }

    /** The digest of everything uploaded so far, computed with {@code algorithm}. */
    public Digest digest(UploadSession session, String algorithm) {
        HashState state = hashStates.get(session.id());
        if (Digest.SHA256.equals(algorithm) && state != null && state.size() == session.size()) {
            return Digest.from(algorithm, clone(state.sha256()));
        }
        MessageDigest md = Digest.newMessageDigest(algorithm);
        byte[] buffer = new byte[256 * 1024];
        for (String chunk : session.chunks()) {
            try (InputStream in = driver.read(chunk, 0)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    md.update(buffer, 0, n);
                }
            } catch (io.wharf.core.storage.driver.PathNotFoundException e) {
                throw new PlatformException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + session.id() + " was completed by another request");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Digest.from(algorithm, md);
    }

    /**
     * Takes the upload for completion: removes its row if nobody changed or completed it meanwhile, so
     * of several requests completing one upload exactly one proceeds. Its data stays for the caller
     * to move, then {@link #delete}.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UPLOAD_UNKNOWN} when another request took it
     */
    public void claim(UploadSession session) {
        if (sessions.claim(session.id(), session.size()) == 0) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + session.id() + " was completed or changed by another request");
        }
    }

    /** Ends the upload: removes its row and its data. Idempotent. */
    public void delete(UUID id) {
        sessions.deleteSession(id);
        discard(id);
    }

    /** Removes the data of an upload whose row is gone ({@link #claim}ed and committed). */
    public void discard(UUID id) {
        hashStates.remove(id);
        deleteQuietly(StoragePaths.upload(id));
    }

    /**
     * Removes uploads untouched for longer than {@code ttl}, and upload data that belongs to no session
     * (left by requests that failed or raced). Returns the number of sessions removed.
     */
    public int purge(Duration ttl) {
        List<UUID> stale = sessions.findStale(OffsetDateTime.now(clock).minus(ttl));
        stale.forEach(this::delete);
        try {
            Set<UUID> orphans = new HashSet<>();
            for (String path : driver.list(StoragePaths.uploads())) {
                String[] parts = path.split("/");
                if (parts.length >= 2) {
                    parseUuid(parts[1]).ifPresent(orphans::add);
                }
            }
            orphans.removeIf(sessions::existsById);
            orphans.forEach(id -> deleteQuietly(StoragePaths.upload(id)));
        } catch (IOException e) {
            log.warn("Could not list upload data for purging: {}", e.toString());
        }
        if (hashStates.size() > MAX_HASH_STATES) {
            hashStates.clear();
        }
        return stale.size();
    }

    private @Nullable MessageDigest continuedHash(UploadSession session) {
        if (session.size() == 0) {
            return Digest.newMessageDigest(Digest.SHA256);
        }
        HashState state = hashStates.get(session.id());
        return state != null && state.size() == session.size() ? clone(state.sha256()) : null;
    }

    private void rememberHash(UUID id, long size, @Nullable MessageDigest sha256) {
        if (sha256 == null) {
            hashStates.remove(id);
        } else if (hashStates.size() < MAX_HASH_STATES) {
            hashStates.put(id, new HashState(size, sha256));
        }
    }

    static MessageDigest clone(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void deleteQuietly(String path) {
        try {
            driver.delete(path);
        } catch (IOException e) {
            log.warn("Could not delete upload data {}: {}", path, e.toString());
        }
    }

    /** Passes bytes through, feeding them to a digest when there is one. */
    private static final class DigestingStream extends FilterInputStream {
        private final @Nullable MessageDigest digest;

        DigestingStream(InputStream in, @Nullable MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && digest != null) {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && digest != null) {
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public void close() {
            // the request body belongs to the caller
        }
    }
}
