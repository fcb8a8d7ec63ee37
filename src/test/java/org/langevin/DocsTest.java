package org.langevin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a user needs lives inside the repository (docs/): no text file refers to the
 * lecture-note workspace outside it, and every relative Markdown link of README.md and docs/*.md
 * points to a file (and, with a fragment, to an anchor) that exists. The repository root is the
 * working directory Maven runs the tests in (the project base directory).
 */
class DocsTest {
    /** Written in pieces so that this file does not match itself. */
    private static final List<String> FORBIDDEN = List.of(".." + "/shared", "THEORY" + ".md", "DESIGN" + ".md");
    /** The parts of the repository that hold text a user reads. */
    private static final List<String> ROOTS = List.of("README.md", "docs", "kernels", "benchmarks", "src", ".ci",
            "examples");
    /** Directories that hold build outputs, not sources. */
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "node_modules", "__pycache__");
    /** Files that are not text. */
    private static final Pattern BINARY = Pattern.compile(
            ".*\\.(png|jpg|jpeg|gif|pdf|svg|npy|bin|so|dylib|dll|jar|class|ptx|gz|zip)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    private static Path root() {
        Path root = Path.of("").toAbsolutePath();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isRegularFile(root.resolve("README.md")),
                "tests must run in the repository root (the Maven base directory), not in " + root);
        return root;
    }

    private static List<Path> textFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String r : ROOTS) {
            Path p = root.resolve(r);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(Files::isRegularFile)
                        .filter(f -> noSkippedDir(root.relativize(f)))
                        .filter(f -> !BINARY.matcher(f.getFileName().toString()).matches())
                        .forEach(out::add);
            }
        }
        return out;
    }

    private static boolean noSkippedDir(Path rel) {
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            if (SKIPPED_DIRS.contains(rel.getName(i).toString())) {
                return false;
            }
        }
        return true;
    }

    private static String read(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        for (byte x : b) {
            if (x == 0) {
                return null; // binary
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void noReferenceOutsideTheRepository() throws IOException {
        Path root = root();
        List<String> found = new ArrayList<>();
        List<Path> files = textFiles(root);
        assertTrue(files.size() > 50, "expected the repository's text files, found " + files.size());
        for (Path f : files) {
            String text = read(f);
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String bad : FORBIDDEN) {
                    if (lines[i].contains(bad)) {
                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + bad);
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "references to documents outside the repository (use docs/theory.md, "
                + "docs/architecture.md or docs/output-formats.md):\n" + String.join("\n", found));
    }

    @Test
    void relativeMarkdownLinksResolve() throws IOException {
        Path root = root();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() >= 4, "README.md and docs/README.md, theory.md, architecture.md, output-formats.md");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String fragment = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = root.relativize(page) + ": (" + target + ")";
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(where + " -> no such file " + resolved);
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved, StandardCharsets.UTF_8)).contains(fragment)) {
                    broken.add(where + " -> no anchor #" + fragment + " in " + root.relativize(resolved));
                }
            }
        }
        assertTrue(checked > 10, "expected relative links in README.md and docs/, found " + checked);
        assertTrue(broken.isEmpty(), "broken Markdown links:\n" + String.join("\n", broken));
    }

    /** Explicit {@code <a id>} anchors and GitHub-style heading slugs of a page. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new java.util.HashSet<>();
        Matcher a = ANCHOR.matcher(markdown);
        while (a.find()) {
            out.add(a.group(1));
        }
        Matcher h = HEADING.matcher(markdown);
        while (h.find()) {
            String slug = h.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            out.add(slug);
        }
        return out;
    }
}
