package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V2RouteTest {

    @Test
    void readsEndpointsFromTheEnd() {
        assertThat(V2Route.parse("")).isEqualTo(new V2Route(V2Route.Kind.BASE, null, null));
        assertThat(V2Route.parse("_catalog").kind()).isEqualTo(V2Route.Kind.CATALOG);
        assertRoute("a/b/manifests/latest", V2Route.Kind.MANIFEST, "a/b", "latest");
        assertRoute("a/manifests/b/manifests/sha256%3Aabc", V2Route.Kind.MANIFEST, "a/manifests/b", "sha256:abc");
        assertRoute("a/b/blobs/sha256:abc", V2Route.Kind.BLOB, "a/b", "sha256:abc");
        assertRoute("a/blobs/uploads/", V2Route.Kind.UPLOADS, "a", null);
        assertRoute("a/blobs/uploads", V2Route.Kind.UPLOADS, "a", null);
        assertRoute("a/blobs/uploads/1234", V2Route.Kind.UPLOAD, "a", "1234");
        assertRoute("a/tags/list", V2Route.Kind.TAGS, "a", null);
        assertRoute("x/y/referrers/sha256:abc", V2Route.Kind.REFERRERS, "x/y", "sha256:abc");
    }

    @Test
    void rejectsBadNamesAndUnknownPaths() {
        assertThatThrownBy(() -> V2Route.parse("a%2Fb/manifests/x"))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
        assertThatThrownBy(() -> V2Route.parse("a/../b/tags/list"))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
        assertThatThrownBy(() -> V2Route.parse("a/b/c"))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private static void assertRoute(String raw, V2Route.Kind kind, String name, String reference) {
        V2Route route = V2Route.parse(raw);
        assertThat(route.kind()).isEqualTo(kind);
        assertThat(route.repository().value()).isEqualTo(name);
        assertThat(route.reference()).isEqualTo(reference);
    }
}
