package io.connectorhub.core.internal;

import io.connectorhub.core.HubException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hub's data directory, held for the hub's life: an OS file lock on {@code hub.lock} in it (which names the
 * holder's pid), so that a second hub on the same directory refuses to start instead of sharing the instance's id and
 * leases. The lock is on the directory, not on the database, which several instances may share. The directory is
 * made readable by its owner only (0700). {@link #close()} releases the lock; idempotent.
 */
public final class DataDirectory implements AutoCloseable {
    static final String LOCK_FILE = "hub.lock";

    /**
     * The directories this process holds. An OS lock belongs to the whole process, and closing any descriptor of the
     * lock file, even one opened only to try the lock, drops it; so a second hub in this process must be refused
     * before it opens the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private DataDirectory(Path path, Path key, FileChannel channel, FileLock lock) {
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it, then restricts it to its owner. Throws {@link HubException} naming
     * the directory if another hub holds it, having changed nothing in it.
     */
    public static DataDirectory lock(Path dir) {
        Path key;
        try {
            OwnerOnly.createDirectories(dir);
            key = dir.toRealPath();
        } catch (IOException e) {
            throw unusable(dir, e);
        }
        if (!HELD.add(key)) throw inUse(dir, ProcessHandle.current().pid());
        FileChannel channel = null;
        try {
            Path file = key.resolve(LOCK_FILE);
            OwnerOnly.createFile(file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) throw inUse(dir, holder(channel));
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            OwnerOnly.restrict(key);
            OwnerOnly.restrict(file);
            return new DataDirectory(dir, key, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(key);
            throw e instanceof HubException h ? h : unusable(dir, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** The pid the holder wrote into the lock file, or -1 if it cannot be read. */
    private static long holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return Long.parseLong(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static HubException inUse(Path dir, long pid) {
        return new HubException(
                "data directory " + dir + " is in use by another hub" + (pid > 0 ? " (pid " + pid + ")" : "")
                        + ": stop it, or set store.dataDir (or HUB_DATA) to another directory");
    }

    private static HubException unusable(Path dir, Exception e) {
        return new HubException(
                "cannot use the data directory " + dir + ": " + e.getMessage()
                        + "; set store.dataDir (or HUB_DATA) to a writable directory",
                e);
    }

    /** The directory as it was given. */
    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(key);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /** This instance's stable id, kept in the directory ({@code instance-id}); it names the owner of inbox leases. */
    public String instanceId() {
        Path file = path().resolve("instance-id");
        try {
            if (Files.exists(file)) {
                OwnerOnly.restrict(file);
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            String id = UUID.randomUUID().toString();
            OwnerOnly.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new HubException(
                    "cannot read or write " + file + ": " + e.getMessage()
                            + "; set store.dataDir (or HUB_DATA) to a writable directory",
                    e);
        }
    }
}
