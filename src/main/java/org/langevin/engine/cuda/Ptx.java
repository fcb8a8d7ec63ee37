package org.langevin.engine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels' PTX as packaged in the jar ({@code kernels/lv_kernels.ptx}, built by kernels/build.sh
 * with nvcc) and what its text says: the PTX ISA {@code .version}, the CUDA release of the nvcc that
 * generated it (from its header comment) and its {@code .entry} names. Immutable.
 *
 * @param text the PTX source
 * @param isaVersion the {@code .version} directive, e.g. "9.0"
 * @param cudaRelease the nvcc release from the header, e.g. "13.0", or "unknown"
 * @param entries the kernel entry points, in file order
 */
public record Ptx(String text, String isaVersion, String cudaRelease, List<String> entries) {
    /** Class-path resource of the PTX. */
    public static final String RESOURCE = "kernels/lv_kernels.ptx";

    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*\\.version\\s+(\\d+\\.\\d+)");
    private static final Pattern RELEASE = Pattern.compile("(?m)^//.*release\\s+(\\d+\\.\\d+)");
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][A-Za-z0-9_$]*)");

    public Ptx {
        entries = List.copyOf(entries);
    }

    /** @return the packaged PTX, or null when the jar was built without nvcc */
    public static Ptx loadPackaged() {
        try (InputStream in = Ptx.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Parses PTX text. */
    public static Ptx parse(String text) {
        Matcher v = VERSION.matcher(text);
        String isa = v.find() ? v.group(1) : "unknown";
        Matcher r = RELEASE.matcher(text);
        String rel = r.find() ? r.group(1) : "unknown";
        List<String> names = new ArrayList<>();
        Matcher e = ENTRY.matcher(text);
        while (e.find()) {
            names.add(e.group(1));
        }
        return new Ptx(text, isa, rel, names);
    }

    /** @return the PTX as the NUL-terminated bytes cuModuleLoadData expects */
    public byte[] imageBytes() {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    /** @return e.g. "PTX .version 9.0 from nvcc release 13.0, 5 entry points" */
    public String describe() {
        return "PTX .version " + isaVersion + " from nvcc release " + cudaRelease + ", " + entries.size() + " entry points";
    }
}
