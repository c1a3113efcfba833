package io.wharf.core.gc;

/** What a run deleted (or, dry, would delete) so far. */
record GcCounts(long manifests, long links, long blobs, long objects, long freedBytes) {

    static final GcCounts NONE = new GcCounts(0, 0, 0, 0, 0);

    GcCounts plus(GcCounts o) {
        return new GcCounts(manifests + o.manifests, links + o.links, blobs + o.blobs, objects + o.objects, freedBytes + o.freedBytes);
    }
}
