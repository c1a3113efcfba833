package io.wharf.replication.policy;

import io.wharf.core.Glob;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.Arrays;
import java.util.List;

/**
 * One filter of a policy, as Harbor's JSON {@code {"type","value","decoration"}}.
 *
 * <ul>
 *   <li>{@code name}: a {@link Glob} over the source repository name ({@code library/**}); </li>
 *   <li>{@code tag}: a {@link Glob} over tags, {@code decoration} {@code matches} (default) or
 *       {@code excludes};</li>
 *   <li>{@code resource}: {@code image} or {@code artifact} (all artifacts, the default);</li>
 *   <li>{@code platform} (Wharf's): comma-separated {@code os/architecture[/variant]}; an index keeps
 *       only these children.</li>
 * </ul>
 */
public record PolicyFilter(Type type, String value, boolean excludes) {

    /** The filter kinds. */
    public enum Type {
        NAME("name"), TAG("tag"), RESOURCE("resource"), PLATFORM("platform");

        private final String id;

        Type(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Type of(String id) {
            return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
                .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT, "unknown filter type " + id
                    + "; supported: name, tag, resource, platform"));
        }
    }

    /**
     * Validates and builds a filter from the API's strings.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for unknown types, decorations, resources or platforms, and bad patterns
     */
    public static PolicyFilter of(String type, String value, @org.jspecify.annotations.Nullable String decoration) {
        Type t = Type.of(type);
        boolean excludes = "excludes".equals(decoration);
        if (decoration != null && !decoration.isEmpty() && !excludes && !"matches".equals(decoration)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "decoration is matches or excludes, not " + decoration);
        }
        switch (t) {
            case NAME, TAG -> Glob.of(value);
            case RESOURCE -> {
                if (!List.of("image", "artifact").contains(value)) {
                    throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "resource is image or artifact, not " + value);
                }
            }
            case PLATFORM -> platforms(value);
        }
        return new PolicyFilter(t, value, excludes);
    }

    /** The {@code os/architecture[/variant]} entries of a platform filter value. */
    public static List<String> platforms(String value) {
        List<String> platforms = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (platforms.isEmpty() || platforms.stream().anyMatch(p -> !p.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?"))) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "platforms are os/architecture[/variant], comma-separated: " + value);
        }
        return platforms;
    }
}
