package io.wharf.replication.upstream;

import java.util.Locale;

/** What a request is for; the {@code kind} tag of the request metric. */
enum RequestKind {
    MANIFEST, BLOB, TOKEN, LISTING, PING;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
