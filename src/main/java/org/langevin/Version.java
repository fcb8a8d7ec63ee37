package org.langevin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The release of this library, as the Maven build recorded it ({@code org/langevin/version.properties},
 * filled by resource filtering), so that class-path users, the jar and results.json all see the same
 * string. Stateless; thread-safe.
 */
public final class Version {

    /** The version, read once. */
    private static final String VERSION = read();

    private Version() {
    }

    /** @return the version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the build left no record */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
