package io.connectorhub.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories of the data directory, readable by their owner only: 0600 for files, 0700 for directories.
 * On a file system without POSIX permissions the permissions are left as they are (the directory's ACL applies).
 */
public final class OwnerOnly {
    private static final Logger log = LoggerFactory.getLogger(OwnerOnly.class);
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {}

    /** Creates {@code dir} (and missing parents) as 0700, unless it exists. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (posix(dir.toAbsolutePath().getParent())) Files.createDirectories(dir, attribute(DIRECTORY));
        else Files.createDirectories(dir);
    }

    /** Creates {@code file} empty as 0600, unless it exists. */
    public static void createFile(Path file) throws IOException {
        try {
            if (posix(file.toAbsolutePath().getParent())) Files.createFile(file, attribute(FILE));
            else Files.createFile(file);
        } catch (FileAlreadyExistsException exists) {
            // kept as it is; see restrict
        }
    }

    /** Writes {@code text} to {@code file}, created as 0600 if new. */
    public static void writeString(Path file, String text) throws IOException {
        createFile(file);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Takes the group's and others' permissions away from {@code path} (a file or a directory) if it exists and has
     * any, and logs that it did (or, if it may not, that it should be done). Returns true if it changed them.
     */
    public static boolean restrict(Path path) throws IOException {
        if (!Files.exists(path) || !posix(path)) return false;
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(path);
        Set<PosixFilePermission> wanted = Files.isDirectory(path) ? DIRECTORY : FILE;
        if (wanted.containsAll(before)) return false;
        Set<PosixFilePermission> after = new HashSet<>(before);
        after.retainAll(wanted);
        try {
            Files.setPosixFilePermissions(path, after);
        } catch (IOException e) {
            log.warn(
                    "{} is open to other users ({}) and could not be restricted ({}): run chmod {} {} as its owner",
                    path,
                    PosixFilePermissions.toString(before),
                    e.getMessage(),
                    wanted == DIRECTORY ? "700" : "600",
                    path);
            return false;
        }
        log.warn(
                "{} was open to other users ({}); restricted it to its owner ({})",
                path,
                PosixFilePermissions.toString(before),
                PosixFilePermissions.toString(after));
        return true;
    }

    private static boolean posix(Path path) {
        return path != null
                && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
