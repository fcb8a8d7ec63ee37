package org.langevin.engine.emulated;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds and loads liblangevin-emu, the emulated device. First the library prebuilt by
 * kernels/build.sh and packaged at {@code native/<platform>/} on the class path; when that is missing
 * or does not load, the kernel sources packaged at {@code kernels/src/} are compiled with the host
 * C++ compiler ({@code $CXX}, g++ or clang++) and the flags of {@code kernels/src/emulator.flags}
 * into a cache directory keyed by a hash of sources, flags and compiler, and that is loaded.
 * Thread-safe; the library is loaded once per JVM.
 */
public final class EmulatorBinary {
    /** Library name without prefix and suffix. */
    public static final String LIBRARY = "langevin-emu";
    /** Class-path folder of the kernel sources (with emulator.flags and sources.list). */
    public static final String SOURCES = "kernels/src/";
    /** Longest wait for the compiler. */
    private static final long COMPILE_TIMEOUT_SECONDS = 300;

    /**
     * A loaded emulator.
     *
     * @param library the bound entry points
     * @param path the shared library file
     * @param origin how it was obtained, for people ("prebuilt" or "compiled at first use with g++")
     */
    public record Loaded(EmulatorLibrary library, Path path, String origin) {
    }

    /** The library once loaded. */
    private static Loaded loaded;

    private EmulatorBinary() {
    }

    /** @return the class-path resource of the prebuilt library for this platform */
    public static String prebuiltResource() {
        return "native/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName(LIBRARY);
    }

    /**
     * Loads the emulator (once per JVM).
     *
     * @return the loaded library with where it came from (prebuilt or compiled) and its path; the same
     *         object on every later call
     * @throws IllegalStateException naming why neither the prebuilt library nor a compiled one is usable
     */
    public static synchronized Loaded load() {
        if (loaded != null) {
            return loaded;
        }
        String prebuiltProblem;
        try {
            Path p = prebuiltFile();
            if (p == null) {
                prebuiltProblem = "no prebuilt " + prebuiltResource() + " on the class path";
            } else {
                loaded = new Loaded(bind(p), p, "prebuilt");
                return loaded;
            }
        } catch (UnsatisfiedLinkError | UncheckedIOException e) {
            prebuiltProblem = "the prebuilt library does not load (" + e.getMessage() + ")";
        }
        try {
            Path p = compileFromSources(cacheRoot());
            loaded = new Loaded(bind(p), p, "compiled at first use (" + prebuiltProblem + ")");
            return loaded;
        } catch (IllegalStateException | UncheckedIOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("the emulated device is unavailable: " + prebuiltProblem
                    + ", and compiling the kernel sources failed: " + e.getMessage(), e);
        }
    }

    /**
     * Compiles the kernel sources from the class path into {@code cacheRoot/emu-<hash>/}, unless a
     * library for the same sources, flags and compiler is already there.
     *
     * @param cacheRoot directory for compiled libraries (created when missing)
     * @return the library file
     * @throws IllegalStateException when the sources are not packaged, no compiler is found or it fails
     * @throws UncheckedIOException when the cache cannot be written
     */
    public static Path compileFromSources(Path cacheRoot) {
        return compile(cacheRoot, "emu-", "lv_emulator.cpp", java.util.Map.of(), List.of());
    }

    /**
     * Compiles a translation unit against the packaged kernel sources into
     * {@code cacheRoot/PREFIX<hash>/}, unless a library for the same sources (the packaged ones and
     * {@code generated}), flags and compiler is already there.
     *
     * @param prefix the cache directory's prefix
     * @param main the file to compile: a packaged source or one of {@code generated}
     * @param generated more sources by file name (for example a user model's printed functions)
     * @param extraFlags compiler flags after the emulator's own
     * @return the shared library
     */
    static Path compile(Path cacheRoot, String prefix, String main, java.util.Map<String, String> generated,
                        List<String> extraFlags) {
        String list = resourceText(SOURCES + "sources.list");
        if (list == null) {
            throw new IllegalStateException("the kernel sources are not on the class path (" + SOURCES
                    + "sources.list is missing; build with kernels/build.sh)");
        }
        List<String> names = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        String flagsText = resourceText(SOURCES + "emulator.flags");
        if (flagsText == null) {
            throw new IllegalStateException("the emulator flags " + SOURCES + "emulator.flags are not on the class path");
        }
        List<String> flags = new ArrayList<>();
        for (String f : flagsText.split("\n")) {
            if (!f.isBlank()) {
                flags.add(f.trim());
            }
        }
        flags.addAll(extraFlags);
        Path compiler = findCompiler();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<byte[]> contents = new ArrayList<>();
            for (String name : names) {
                byte[] b = resourceBytes(SOURCES + name);
                if (b == null) {
                    throw new IllegalStateException("kernel source " + SOURCES + name + " listed in sources.list is missing");
                }
                contents.add(b);
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update(b);
            }
            java.util.TreeMap<String, String> gen = new java.util.TreeMap<>(generated);
            for (var g : gen.entrySet()) {
                sha.update(g.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(g.getValue().getBytes(StandardCharsets.UTF_8));
            }
            sha.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            sha.update(compiler.toString().getBytes(StandardCharsets.UTF_8));
            String key = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Path dir = cacheRoot.resolve(prefix + key);
            Path lib = dir.resolve(System.mapLibraryName(LIBRARY));
            if (Files.isRegularFile(lib)) {
                return lib;
            }
            Path work = Files.createDirectories(cacheRoot).resolve("build-" + key + "-" + ProcessHandle.current().pid());
            Files.createDirectories(work);
            for (int i = 0; i < names.size(); i++) {
                Files.write(work.resolve(names.get(i)), contents.get(i));
            }
            for (var g : gen.entrySet()) {
                Files.writeString(work.resolve(g.getKey()), g.getValue(), StandardCharsets.UTF_8);
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(compiler.toString());
            cmd.addAll(flags);
            cmd.addAll(List.of("-I", work.toString(), "-o", work.resolve("lib.tmp").toString(),
                    work.resolve(main).toString()));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] output = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException(compiler + " did not finish within " + COMPILE_TIMEOUT_SECONDS + " s");
            }
            if (proc.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + proc.exitValue()
                        + ":\n" + new String(output, StandardCharsets.UTF_8));
            }
            Files.createDirectories(dir);
            moveInto(work.resolve("lib.tmp"), lib);
            deleteTree(work);
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile the emulator in " + cacheRoot + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the emulator", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * @return the cache directory: $XDG_CACHE_HOME/langevin, else ~/.cache/langevin, else
     *         java.io.tmpdir/langevin-cache when the home directory is not writable
     */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg)
                : Paths.get(System.getProperty("user.home"), ".cache");
        Path root = base.resolve("langevin");
        try {
            Files.createDirectories(root);
            if (Files.isWritable(root)) {
                return root;
            }
        } catch (IOException | SecurityException e) {
            // fall through to the temporary directory, which is the documented alternative
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "langevin-cache");
    }

    /** @return the host C++ compiler: $CXX, else g++ or clang++ on the PATH */
    static Path findCompiler() {
        List<String> candidates = new ArrayList<>();
        String cxx = System.getenv("CXX");
        if (cxx != null && !cxx.isBlank()) {
            candidates.add(cxx.trim());
        }
        candidates.add("g++");
        candidates.add("clang++");
        String path = System.getenv("PATH");
        for (String c : candidates) {
            Path direct = Paths.get(c);
            if (direct.isAbsolute()) {
                if (Files.isExecutable(direct)) {
                    return direct;
                }
                continue;
            }
            if (path != null) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    Path p = Paths.get(dir, c);
                    if (!dir.isEmpty() && Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
        }
        throw new IllegalStateException("no C++ compiler found ($CXX, g++ or clang++ on the PATH); install g++ "
                + "or use --backend cpu");
    }

    private static EmulatorLibrary bind(Path lib) {
        EmulatorLibrary l = Native.load(lib.toAbsolutePath().toString(), EmulatorLibrary.class);
        // Touch one entry point so that a library without the expected symbols fails here.
        l.lv_emu_max_dim();
        return l;
    }

    /** @return the prebuilt library as a file (extracted from a jar into the cache), or null */
    private static Path prebuiltFile() {
        URL url = EmulatorBinary.class.getClassLoader().getResource(prebuiltResource());
        return url == null ? null : cachedCopy(url, "emu-prebuilt-", System.mapLibraryName(LIBRARY));
    }

    /**
     * A class-path resource as a file: the file itself when it is one, else its bytes extracted once per content
     * into {@link #cacheRoot()} as {@code <dirPrefix><first 16 hex digits of its SHA-256>/<fileName>} (written to a
     * temporary file and moved into place, so that concurrent JVMs never load a partial copy).
     *
     * @param url the resource (a {@code file:} or {@code jar:} URL)
     * @param dirPrefix prefix of the cache subdirectory, e.g. {@code "emu-prebuilt-"}
     * @param fileName the file's name in it
     * @return the file
     * @throws UncheckedIOException when the resource cannot be read or the cache cannot be written
     */
    public static Path cachedCopy(URL url, String dirPrefix, String fileName) {
        try {
            if ("file".equals(url.getProtocol())) {
                return Paths.get(url.toURI());
            }
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Path lib = cacheRoot().resolve(dirPrefix + key).resolve(fileName);
            if (!Files.isRegularFile(lib)) {
                Files.createDirectories(lib.getParent());
                Path tmp = Files.createTempFile(lib.getParent(), "lib", ".tmp");
                Files.write(tmp, bytes);
                moveInto(tmp, lib);
            }
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + url + ": " + e.getMessage(), e);
        } catch (URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot locate " + url, e);
        }
    }

    private static void moveInto(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static byte[] resourceBytes(String name) {
        try (InputStream in = EmulatorBinary.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static String resourceText(String name) {
        byte[] b = resourceBytes(name);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
