package org.langevin.engine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels' PTX as packaged in the jar ({@code kernels/lv_kernels.ptx}, built by kernels/build.sh
 * with nvcc) and what its text says: the PTX ISA {@code .version}, the CUDA release of the nvcc that
 * generated it (from its header comment) and its {@code .entry} names. Immutable. The build declares
 * the lowest ISA version the kernels need (7.0) rather than nvcc's own, so the driver needed is that
 * of {@link #minimumCudaRelease()}, not of the nvcc release.
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

    /** The first CUDA release whose driver knows each PTX ISA version (PTX ISA manual, release notes). */
    private static final Map<String, String> ISA_RELEASE = Map.ofEntries(
            Map.entry("6.0", "9.0"), Map.entry("6.1", "9.1"), Map.entry("6.2", "9.2"), Map.entry("6.3", "10.0"),
            Map.entry("6.4", "10.1"), Map.entry("6.5", "10.2"), Map.entry("7.0", "11.0"), Map.entry("7.1", "11.1"),
            Map.entry("7.2", "11.2"), Map.entry("7.3", "11.3"), Map.entry("7.4", "11.4"), Map.entry("7.5", "11.5"),
            Map.entry("7.6", "11.6"), Map.entry("7.7", "11.7"), Map.entry("7.8", "11.8"), Map.entry("8.0", "12.0"),
            Map.entry("8.1", "12.1"), Map.entry("8.2", "12.2"), Map.entry("8.3", "12.3"), Map.entry("8.4", "12.4"),
            Map.entry("8.5", "12.5"), Map.entry("8.6", "12.7"), Map.entry("8.7", "12.8"), Map.entry("8.8", "12.9"),
            Map.entry("9.0", "13.0"));

    /**
     * Copies the entry list, so that a {@code Ptx} is immutable.
     *
     * @param text the PTX source
     * @param isaVersion the {@code .version} directive, e.g. "9.0"
     * @param cudaRelease the nvcc release from the header, e.g. "13.0", or "unknown"
     * @param entries the kernel entry points, in file order; not null
     */
    public Ptx {
        entries = List.copyOf(entries);
    }

    /**
     * @return the oldest CUDA release whose driver can load this PTX (from its ISA version), e.g. "11.0"
     *         for ISA 7.0; the nvcc release when the ISA version is not in the table
     */
    public String minimumCudaRelease() {
        return ISA_RELEASE.getOrDefault(isaVersion, cudaRelease);
    }

    /** @return the packaged PTX, or null when the jar was built without nvcc */
    public static Ptx loadPackaged() {
        try (InputStream in = Ptx.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses PTX text.
     *
     * @param text PTX source, e.g. the packaged kernels or a model's kernel
     * @return its ISA version and nvcc release ("unknown" for either when absent) and its entry names
     */
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

    /** @return the PTX as the NUL-terminated bytes cuModuleLoadDataEx expects */
    public byte[] imageBytes() {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    /** @return e.g. "PTX .version 7.0 (drivers for CUDA 11.0 or newer) from nvcc release 13.0, 10 entry points" */
    public String describe() {
        return "PTX .version " + isaVersion + " (drivers for CUDA " + minimumCudaRelease() + " or newer) from nvcc release "
                + cudaRelease + ", " + entries.size() + " entry points";
    }
}
