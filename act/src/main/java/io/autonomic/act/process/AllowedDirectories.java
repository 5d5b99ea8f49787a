package io.autonomic.act.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The directory roots the worker may delete files in, held as real paths (symlinks resolved) so a requested
 * directory can be compared after its own symlinks are resolved: a link inside a root that points elsewhere
 * resolves outside every root and is refused.
 */
public final class AllowedDirectories {

    private final List<Path> roots;

    private AllowedDirectories(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** No directory is allowed: every remove-files request is refused. */
    public static AllowedDirectories none() {
        return new AllowedDirectories(List.of());
    }

    /**
     * Resolves each root to its real path; a root that is missing, not a directory or the filesystem root fails
     * with an {@link IllegalArgumentException} naming it.
     */
    public static AllowedDirectories of(Collection<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            Path resolved;
            try {
                resolved = root.toAbsolutePath().toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("allowed directory " + root + " does not exist or cannot be read: " + e);
            }
            if (!Files.isDirectory(resolved)) {
                throw new IllegalArgumentException("allowed directory " + root + " is not a directory");
            }
            if (resolved.getParent() == null) {
                throw new IllegalArgumentException("allowed directory " + root + " is the filesystem root; name a narrower directory");
            }
            real.add(resolved);
        }
        return new AllowedDirectories(real);
    }

    public List<Path> roots() {
        return roots;
    }

    /** The root containing {@code realDirectory} (itself included), if any. */
    Optional<Path> rootOf(Path realDirectory) {
        return roots.stream().filter(realDirectory::startsWith).findFirst();
    }
}
