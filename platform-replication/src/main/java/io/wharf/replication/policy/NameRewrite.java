package io.wharf.replication.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * Harbor's destination naming ({@code dest_namespace} with {@code dest_namespace_replace_count}):
 * without a namespace the source name is kept; with one, {@code -1} keeps only the last component
 * under it (flatten all: {@code library/nginx} → {@code ns/nginx}), {@code 0} puts the whole source
 * name under it ({@code ns/library/nginx}), and {@code N} drops the first {@code N} components
 * ({@code 1}: {@code a/b/c} → {@code ns/b/c}), keeping at least the last.
 */
public final class NameRewrite {

    private NameRewrite() {
    }

    /**
     * The destination name of {@code source}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} when {@code replaceCount} would drop every component
     */
    public static String apply(String source, @Nullable String namespace, int replaceCount) {
        if (namespace == null || namespace.isBlank()) {
            return source;
        }
        String[] parts = source.split("/");
        String ns = namespace.replaceAll("^/+|/+$", "");
        if (replaceCount < 0) {
            return ns + "/" + parts[parts.length - 1];
        }
        if (replaceCount > parts.length - 1) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "cannot drop " + replaceCount + " components of "
                + source + ": at least its last one must stay");
        }
        return ns + "/" + String.join("/", Arrays.copyOfRange(parts, replaceCount, parts.length));
    }
}
