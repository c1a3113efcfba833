package io.wharf.testkit.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The emulator's behaviour switches and the faults it injects, shared by its hosts. */
final class Switches {

    volatile DockerHubEmulator.BlobDelivery blobDelivery = DockerHubEmulator.BlobDelivery.REDIRECT;
    volatile boolean foreignRealm;
    volatile boolean catalog;
    volatile boolean legacyHubListing = true;
    volatile boolean absoluteUploadLocations;

    final AtomicInteger abuseLimited = new AtomicInteger();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger cuts = new AtomicInteger();
    final AtomicLong cutAfter = new AtomicLong();
    final AtomicInteger corruptions = new AtomicInteger();
    volatile DockerHubEmulator.Hold hold;

    /** Uses up one of a fault's remaining requests; false when none is left. */
    static boolean take(AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** The number of bytes the next blob body stops after, or -1 when it is to be sent whole. */
    long takeCut() {
        return take(cuts) ? cutAfter.get() : -1;
    }

    /** Thrown by a handler to drop the connection without (the rest of) a response. */
    static final class DroppedConnection extends RuntimeException {
        DroppedConnection(String why) {
            super(why, null, false, false);
        }
    }
}
