package dev.meridian.router.auth;

import io.quarkus.logging.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A userlist file, read again whenever it changes: a Kubernetes Secret mounted as a file is
 * replaced in place when the Secret is updated, and an operator rotating a password should not
 * have to restart the router (PgBouncer needs a RELOAD for the same). A file that no longer
 * parses leaves the last good list in force: a bad edit must not lock every role out.
 */
public final class UserlistFile {

    private final Path path;
    private volatile Userlist current;
    /** What the file looked like when last read, successfully or not: each change is reported once. */
    private FileTime seenModified;
    private long seenSize;

    private UserlistFile(Path path, Userlist first, FileTime modified, long size) {
        this.path = path;
        this.current = first;
        this.seenModified = modified;
        this.seenSize = size;
    }

    /** The first read, at start: a file that cannot be read or parsed stops the router. */
    public static UserlistFile load(Path path) throws IOException {
        FileTime modified = Files.getLastModifiedTime(path);
        long size = Files.size(path);
        return new UserlistFile(path, Userlist.load(path), modified, size);
    }

    public Userlist current() {
        return current;
    }

    /** Reads the file again if its modification time or size changed; true when a new list took effect. Blocking. */
    public synchronized boolean refresh() {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(path);
            size = Files.size(path);
        } catch (IOException e) {
            if (seenModified != null) {
                Log.errorf("userlist=%s cannot be read (%s); keeping the %d users read before", path, e.getMessage(), current.size());
                seenModified = null;
            }
            return false;
        }
        if (Objects.equals(modified, seenModified) && size == seenSize) {
            return false;
        }
        seenModified = modified;
        seenSize = size;
        try {
            Userlist read = Userlist.load(path);
            current = read;
            Log.infof("userlist=%s reloaded users=%d", path, read.size());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            Log.errorf("userlist=%s not reloaded, keeping the %d users read before: %s", path, current.size(), e.getMessage());
            return false;
        }
    }
}
