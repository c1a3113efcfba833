package io.wharf.core.artifact;

import io.wharf.core.registry.ArtifactPulled;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.PullStore;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

class PullRecorderTest {

    private static final Digest A = Digest.sha256("a".getBytes());
    private static final Digest B = Digest.sha256("b".getBytes());
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final PullStore store = mock(PullStore.class);
    private final PullRecorder recorder = new PullRecorder(store, mock(PlatformTransactionManager.class));

    @Test
    void mergesPullsOfTheSameManifestAndTagIntoOneIncrementWithTheLatestTime() {
        recorder.on(pulled("team/b", A, "v1", T0));
        recorder.on(pulled("team/a", B, B.toString(), T0));
        recorder.on(pulled("team/b", A, "v1", T0.plusSeconds(5)));
        recorder.on(pulled("team/b", A, "v1", T0.plusSeconds(2)));

        assertThat(recorder.flush()).isEqualTo(4);

        // in name order, so nodes flushing at once lock rows in the same order
        InOrder order = inOrder(store);
        order.verify(store).record(new RepositoryName("team/a"), B, null, 1, at(T0));
        order.verify(store).record(new RepositoryName("team/b"), A, "v1", 3, at(T0.plusSeconds(5)));
        verifyNoMoreInteractions(store);
        assertThat(recorder.flush()).isZero();
    }

    @Test
    void aFailedWriteIsLoggedAndDoesNotStopLaterFlushes() {
        org.mockito.Mockito.doThrow(new IllegalStateException("database down")).doNothing()
            .when(store).record(any(), any(), any(), org.mockito.ArgumentMatchers.anyLong(), any());
        recorder.on(pulled("team/a", A, "v1", T0));
        assertThat(recorder.flush()).isEqualTo(1);
        recorder.on(pulled("team/a", A, "v1", T0));
        assertThat(recorder.flush()).isEqualTo(1);
    }

    private static ArtifactPulled pulled(String repository, Digest digest, String reference, Instant at) {
        return new ArtifactPulled("alice", "127.0.0.1", at, new RepositoryName(repository), digest, reference,
            "application/vnd.oci.image.manifest.v1+json");
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
