package org.langevin.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An output directory owned by one run of this tool. The rules, for every command that writes a
 * directory ({@code sample}, {@code check}, {@code bench}, the Spark launcher):
 * <ul>
 *   <li>The directory is new, empty, or holds only files that a run of the same command writes
 *       (by name: {@link Kind#owns}); anything else in it (a user's file or folder) makes the run
 *       refuse, naming it, with or without {@code --force}. {@code --out ''}, the current directory,
 *       the home directory, the root and their ancestors are always refused.</li>
 *   <li>A marker file ({@value #MARKER}) written at the start says which command owns it.</li>
 *   <li>An OS file lock on {@value #LOCK} inside the directory, held while the run lives, refuses a
 *       second run on the same directory and names the first one's process.</li>
 *   <li>A directory that holds results is replaced only with {@code --force}, and then the old results
 *       stay until the new run has produced its own: the new run works in {@value #STAGING} inside
 *       the directory, and {@link #commit()} swaps it in (results.json last, so a directory with a
 *       results.json is always complete).</li>
 * </ul>
 * Not thread-safe; one instance per run, closed when the run ends (releases the lock).
 */
public final class RunDirectory implements AutoCloseable {
    /** Marker file naming the owning command, written at a run's start. */
    public static final String MARKER = ".langevin-run";
    /** Lock file: holds the running process's id while locked. */
    public static final String LOCK = ".langevin-lock";
    /** Where a forced run works until it replaces the old results. */
    public static final String STAGING = ".next";
    /** The file whose presence marks finished results (moved in last by {@link #commit()}). */
    private static final List<String> COMPLETION_FILES = List.of("results.json", "checks.json", "bench.json");
    /** Entries shown when refusing a directory with foreign content. */
    private static final int SHOWN = 3;

    /** The commands that write a directory, each with the names of the files it writes. */
    public enum Kind {
        /** {@code sample} and the Spark launcher. */
        SAMPLE("sample", "results\\.json|particles\\.npy|velocities\\.npy|aux\\.npy|trace\\.npy|series\\.csv|series_histograms\\.csv|checkpoint"
                + "|histogram_x[0-9_x]*\\.(csv|png|svg|pdf)|series[a-z0-9_-]*\\.(png|svg|pdf)|trace[a-z0-9_-]*\\.(png|svg|pdf)"),
        /** {@code check}. */
        CHECK("check", "checks\\.json|[a-z0-9][a-z0-9_-]*\\.(png|svg|pdf)"),
        /** {@code bench}. */
        BENCH("bench", "bench\\.json|bench\\.(png|svg|pdf)");

        /** Name written in the marker. */
        public final String command;
        /** Names of this command's output files. */
        private final Pattern outputs;

        Kind(String command, String outputs) {
            this.command = command;
            this.outputs = Pattern.compile("(" + outputs + ")(\\.part|\\.tmp)?");
        }

        /**
         * @param name a top-level entry's file name
         * @return true when a run of this command writes a top-level entry of this name
         */
        public boolean owns(String name) {
            return name.equals(MARKER) || name.equals(MARKER + ".tmp") || name.equals(LOCK) || name.equals(STAGING)
                    || outputs.matcher(name).matches();
        }

        /** @return true when the entry is a result of a run (not the marker, lock or staging area) */
        boolean isResult(String name) {
            return !name.startsWith(MARKER) && !name.equals(LOCK) && !name.equals(STAGING) && !name.endsWith(".part")
                    && !name.endsWith(".tmp") && owns(name);
        }
    }

    /** The directory as given. */
    private final Path dir;
    /** Where this run writes: {@link #dir}, or its staging area when replacing results. */
    private final Path work;
    /** The owning command. */
    private final Kind kind;
    /** The open lock file. */
    private final FileChannel lockChannel;
    /** The lock held on it. */
    private final FileLock lock;

    private RunDirectory(Path dir, Path work, Kind kind, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.work = work;
        this.kind = kind;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Checks, without writing anything, that a new run may use {@code dir}: call it before any slow
     * or irreversible step so that a refusal comes at once. {@link #claim} repeats the checks under the lock.
     *
     * @param dir the directory the run would use
     * @param kind the command
     * @param force whether earlier results of the same command may be replaced ({@code --force})
     * @param option the option that named the directory, for messages ({@code --out})
     * @throws IllegalArgumentException naming the directory and the fix when it may not be used
     */
    public static void precheck(Path dir, Kind kind, boolean force, String option) {
        requireOwnable(dir, option);
        if (!Files.exists(dir)) {
            return;
        }
        List<String> results = inspect(dir, kind, option);
        String holder = holder(dir);
        if (holder != null) {
            throw inUse(dir, option, holder);
        }
        if (!results.isEmpty() && !force) {
            throw new IllegalArgumentException(option + " " + dir + " already holds a " + kind.command + " run ("
                    + String.join(", ", results.subList(0, Math.min(SHOWN, results.size())))
                    + (results.size() > SHOWN ? ", ..." : "") + "); use --force to replace it"
                    + (kind == Kind.SAMPLE ? ", --resume " + dir + " to continue it," : "") + " or another " + option);
        }
    }

    /**
     * Takes a directory for a new run: creates it, locks it, writes the marker. With results already
     * there (only allowed with {@code force}) the run works in the staging area until {@link #commit()}.
     *
     * @param dir the directory the run uses
     * @param kind the command
     * @param force whether earlier results of the same command may be replaced ({@code --force})
     * @param option the option that named the directory, for messages
     * @return the claimed directory, locked until {@link #close()}
     * @throws IllegalArgumentException when the directory may not be used (see {@link #precheck})
     * @throws IOException when the directory cannot be created or written
     */
    public static RunDirectory claim(Path dir, Kind kind, boolean force, String option) throws IOException {
        requireOwnable(dir, option);
        Files.createDirectories(dir);
        Locked l = lock(dir, option);
        try {
            List<String> results = inspect(dir, kind, option);
            if (!results.isEmpty() && !force) {
                precheck(dir, kind, false, option); // throws the message naming the results
            }
            writeMarker(dir, kind, option);
            Path work = dir;
            if (!results.isEmpty()) {
                work = dir.resolve(STAGING);
                deleteTree(work);
                Files.createDirectory(work);
            }
            return new RunDirectory(dir, work, kind, l.channel, l.lock);
        } catch (IOException | RuntimeException e) {
            l.release();
            throw e;
        }
    }

    /**
     * Takes an existing run's directory to continue it ({@code --resume}): locks it; the run works
     * where its checkpoint is (the staging area when a forced replacement was interrupted).
     *
     * @param dir the run's directory
     * @param kind the command
     * @param checkpoint the name of the checkpoint entry that must exist in the work directory
     * @param option the option that named the directory, for messages ({@code --resume})
     * @return the reopened directory, locked until {@link #close()}
     * @throws IllegalArgumentException when the directory holds no resumable run or is in use
     * @throws IOException when the lock cannot be taken
     */
    public static RunDirectory reopen(Path dir, Kind kind, String checkpoint, String option) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": no such directory");
        }
        inspect(dir, kind, option);
        Locked l = lock(dir, option);
        try {
            Path staged = dir.resolve(STAGING);
            Path work = Files.exists(staged.resolve(checkpoint)) ? staged : dir;
            if (!Files.exists(work.resolve(checkpoint))) {
                throw new IllegalArgumentException(option + ": " + dir + " holds no resumable run (no " + checkpoint
                        + "/ in it)");
            }
            return new RunDirectory(dir, work, kind, l.channel, l.lock);
        } catch (RuntimeException e) {
            l.release();
            throw e;
        }
    }

    /** @return the directory as given */
    public Path dir() {
        return dir;
    }

    /** @return where this run writes its files (the directory, or its staging area) */
    public Path workDir() {
        return work;
    }

    /** @return true while this run writes into the staging area (it replaces older results) */
    public boolean replacing() {
        return !work.equals(dir);
    }

    /**
     * Makes this run's files the directory's results: when working in the staging area, removes the
     * old results (only files of this command), moves the new ones in, results.json last, and removes
     * the staging area. Nothing to do otherwise.
     *
     * @throws IOException when a file cannot be moved or deleted
     */
    public void commit() throws IOException {
        if (!replacing()) {
            return;
        }
        List<Path> old = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> kind.isResult(p.getFileName().toString())).forEach(old::add);
        }
        old.sort(Comparator.comparing((Path p) -> !COMPLETION_FILES.contains(p.getFileName().toString())));
        for (Path p : old) {
            deleteTree(p);
        }
        List<Path> fresh = new ArrayList<>();
        try (Stream<Path> s = Files.list(work)) {
            s.forEach(fresh::add);
        }
        fresh.sort(Comparator.comparing((Path p) -> COMPLETION_FILES.contains(p.getFileName().toString())));
        for (Path p : fresh) {
            Files.move(p, dir.resolve(p.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.delete(work);
    }

    /** Releases the lock (the lock file stays: it belongs to the directory). */
    @Override
    public void close() {
        try {
            lockChannel.truncate(0);
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a directory that an earlier run of this tool left behind (for example a distributed
     * job's hidden staging directory after its driver was killed): only when it holds nothing but
     * this command's files and no live process holds its lock.
     *
     * @param dir the directory
     * @param kind the command whose files it may hold
     * @return true when it was removed; false when it is in use or holds other files (left as it is)
     * @throws IOException when it cannot be deleted
     */
    public static boolean removeIfAbandoned(Path dir, Kind kind) throws IOException {
        if (!Files.isDirectory(dir) || holder(dir) != null) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (!s.allMatch(p -> kind.owns(p.getFileName().toString()))) {
                return false;
            }
        }
        deleteTree(dir);
        return true;
    }

    /** Refuses directories no run may own. */
    private static void requireOwnable(Path dir, String option) {
        if (dir.toString().isBlank()) {
            throw new IllegalArgumentException(option + " '" + dir + "' names no directory; give one of its own, e.g. "
                    + option + " runs/run1");
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath().normalize();
        String what = null;
        if (abs.equals(cwd) || cwd.startsWith(abs)) {
            what = abs.equals(cwd) ? "the current directory" : "a parent of the current directory";
        } else if (abs.equals(home) || home.startsWith(abs)) {
            what = abs.equals(home) ? "your home directory" : "a parent of your home directory";
        } else if (abs.getParent() == null) {
            what = "the root directory";
        }
        if (what != null) {
            throw new IllegalArgumentException(option + " " + dir + " is " + what + "; a run needs a directory of its "
                    + "own, e.g. " + option + " " + dir.resolve("run1"));
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is a file, not a directory");
        }
    }

    /**
     * Lists the results in dir, refusing a directory with entries that no run of this command writes
     * or that another command owns.
     *
     * @return the names of the results found, sorted
     */
    private static List<String> inspect(Path dir, Kind kind, String option) {
        List<String> foreign = new ArrayList<>();
        List<String> results = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> {
                if (!kind.owns(n)) {
                    foreign.add(Files.isDirectory(dir.resolve(n)) ? n + "/" : n);
                } else if (kind.isResult(n)) {
                    results.add(n);
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + option + " " + dir + ": " + e.getMessage(), e);
        }
        String owner = markerOwner(dir);
        if (owner != null && !owner.isEmpty() && !owner.equals(kind.command)) {
            throw new IllegalArgumentException(option + " " + dir + " holds the output of 'langevin " + owner
                    + "', not of '" + kind.command + "'; choose another " + option);
        }
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException(option + " " + dir + " holds files that langevin " + kind.command
                    + " did not write (" + String.join(", ", foreign.subList(0, Math.min(SHOWN, foreign.size())))
                    + (foreign.size() > SHOWN ? ", and " + (foreign.size() - SHOWN) + " more" : "")
                    + "); a run never writes beside or deletes them: choose a new or empty " + option);
        }
        return results;
    }

    /** @return the command named in dir's marker, or null when there is none */
    private static String markerOwner(Path dir) {
        Path m = dir.resolve(MARKER);
        try {
            String text = Files.readString(m, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("command=")) {
                    return line.substring("command=".length()).trim();
                }
            }
            return "";
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + m + ": " + e.getMessage(), e);
        }
    }

    private static void writeMarker(Path dir, Kind kind, String option) throws IOException {
        Path m = dir.resolve(MARKER);
        if (Files.exists(m)) {
            return;
        }
        String text = "# written by langevin: this directory holds the output of one run; --force replaces only its files\n"
                + "command=" + kind.command + "\ncreated=" + Instant.now() + "\n";
        // Written aside and renamed, so that a run looking at the directory meanwhile reads all of it or none.
        Path tmp = dir.resolve(MARKER + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, m, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The lock file, open and locked. */
    private record Locked(FileChannel channel, FileLock lock) {
        void release() {
            try {
                channel.truncate(0);
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // Closing the channel releases the lock; nothing else to undo.
            }
        }
    }

    private static Locked lock(Path dir, String option) throws IOException {
        Path f = dir.resolve(LOCK);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            String holder = readHolder(f);
            throw inUse(dir, option, holder == null || holder.isBlank() ? "another process" : holder);
        }
        String me = String.format(Locale.ROOT, "pid %d, started %s", ProcessHandle.current().pid(), Instant.now());
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new Locked(ch, l);
    }

    /**
     * Who holds dir's lock, judged without touching the lock (closing a second handle on a locked
     * file would drop a POSIX lock): the lock file names a live Java process while a run holds it,
     * and is emptied when the run releases it. {@link #claim} takes the lock itself, so this is only
     * the early, friendly answer.
     *
     * @return "pid N, started T" of a live holder, or null
     */
    private static String holder(Path dir) {
        String h = readHolder(dir.resolve(LOCK));
        if (h == null || !h.startsWith("pid ")) {
            return null;
        }
        int end = h.indexOf(',');
        long pid;
        try {
            pid = Long.parseLong(h.substring(4, end < 0 ? h.length() : end).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        boolean alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.pid() == ProcessHandle.current().pid()
                        || p.info().command().map(c -> c.contains("java")).orElse(true))
                .orElse(false);
        return alive ? h : null;
    }

    private static String readHolder(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static IllegalArgumentException inUse(Path dir, String option, String holder) {
        return new IllegalArgumentException(option + " " + dir + " is in use by another langevin run (" + holder
                + "); wait for it to finish or choose another " + option);
    }

    /**
     * Deletes a file or a directory tree (only called on entries this tool owns).
     *
     * @param p the file or directory; nothing happens when it does not exist
     * @throws IOException when an entry cannot be deleted
     */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(p)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path q : all) {
            try {
                Files.delete(q);
            } catch (DirectoryNotEmptyException e) {
                throw new IOException("cannot remove " + q + ": something wrote into it during the removal", e);
            }
        }
    }
}
