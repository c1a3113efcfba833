package io.wharf.api.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.api.iam.ApiPage;
import io.wharf.core.artifact.Artifact;
import io.wharf.core.artifact.RepositoryInfo;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The JSON of Harbor's {@code Repository}, {@code Artifact}, {@code Tag} and {@code Reference}. */
final class ArtifactJson {

    /** Go's zero time, which Harbor reports for what never happened (an artifact never pulled). */
    static final String NEVER = "0001-01-01T00:00:00.000Z";

    private ArtifactJson() {
    }

    record RepositoryResponse(long id, @JsonProperty("project_id") long projectId, String name, @Nullable String description,
                              @JsonProperty("artifact_count") long artifactCount, @JsonProperty("pull_count") long pullCount,
                              @JsonProperty("creation_time") String creationTime, @JsonProperty("update_time") String updateTime) {

        static RepositoryResponse of(RepositoryInfo r) {
            return new RepositoryResponse(r.id(), r.projectId(), r.name(), r.description() == null ? "" : r.description(),
                r.artifactCount(), r.pullCount(), ApiPage.time(r.createdAt()), ApiPage.time(r.updatedAt()));
        }
    }

    record TagResponse(long id, @JsonProperty("repository_id") long repositoryId, @JsonProperty("artifact_id") long artifactId,
                       String name, @JsonProperty("push_time") String pushTime, @JsonProperty("pull_time") String pullTime,
                       boolean immutable) {

        static TagResponse of(Artifact.Tag t) {
            return new TagResponse(t.id(), t.repositoryId(), t.artifactId(), t.name(), ApiPage.time(t.pushTime()),
                time(t.pullTime()), false);
        }
    }

    record PlatformResponse(String os, String architecture, @Nullable String variant) {
    }

    record ReferenceResponse(@JsonProperty("parent_id") long parentId, @JsonProperty("child_id") @Nullable Long childId,
                             @JsonProperty("child_digest") String childDigest, @Nullable PlatformResponse platform) {

        static ReferenceResponse of(Artifact.ArtifactReference r) {
            Artifact.Platform p = r.platform();
            return new ReferenceResponse(r.parentId(), r.childId(), r.childDigest().toString(),
                p == null ? null : new PlatformResponse(p.os(), p.architecture(), p.variant()));
        }
    }

    record ArtifactResponse(long id, String type, String digest, long size, @JsonProperty("media_type") String mediaType,
                            @JsonProperty("manifest_media_type") String manifestMediaType,
                            @JsonProperty("artifact_type") String artifactType, @JsonProperty("project_id") long projectId,
                            @JsonProperty("repository_id") long repositoryId,
                            @JsonProperty("repository_name") String repositoryName, String icon,
                            @JsonProperty("push_time") String pushTime, @JsonProperty("pull_time") String pullTime,
                            @JsonProperty("extra_attrs") Map<String, Object> extraAttrs, Map<String, String> annotations,
                            @Nullable List<ReferenceResponse> references, @Nullable List<TagResponse> tags,
                            @Nullable List<Object> labels,
                            @JsonProperty("scan_overview") @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            @Nullable Map<String, ScanOverviewResponse> scanOverview,
                            @JsonProperty("sbom_overview") @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            @Nullable SbomOverviewResponse sbomOverview) {

        static ArtifactResponse of(Artifact a, boolean withTag, boolean withLabel) {
            return of(a, withTag, withLabel, null, null);
        }

        /**
         * With Harbor's {@code scan_overview} when {@code overview} is not null, and its
         * {@code sbom_overview} when {@code sbom} is present.
         */
        static ArtifactResponse of(Artifact a, boolean withTag, boolean withLabel,
                                   @Nullable Map<String, io.wharf.scanner.report.ScanOverview> overview,
                                   java.util.@Nullable Optional<io.wharf.scanner.report.ScanOverview> sbom) {
            Map<String, ScanOverviewResponse> scan = null;
            if (overview != null) {
                scan = new java.util.LinkedHashMap<>();
                for (var e : overview.entrySet()) {
                    scan.put(e.getKey(), ScanOverviewResponse.of(e.getValue()));
                }
            }
            return new ArtifactResponse(a.id(), a.type(), a.digest().toString(), a.size(), a.mediaType(), a.manifestMediaType(),
                a.artifactType(), a.projectId(), a.repositoryId(), a.repositoryName(), "", ApiPage.time(a.pushTime()),
                time(a.pullTime()), a.extraAttrs(), a.annotations(),
                a.references().isEmpty() ? null : a.references().stream().map(ReferenceResponse::of).toList(),
                withTag ? a.tags().stream().map(TagResponse::of).toList() : null,
                withLabel ? List.of() : null, scan, sbom == null ? null : sbom.map(SbomOverviewResponse::of).orElse(null));
        }
    }

    /** Harbor's {@code SBOMOverview} (no {@code sbom_digest}: Wharf keeps the SBOM as a report, not an accessory). */
    record SbomOverviewResponse(@JsonProperty("report_id") String reportId, @JsonProperty("scan_status") String scanStatus,
                                long duration, @JsonProperty("start_time") @Nullable String startTime,
                                @JsonProperty("end_time") @Nullable String endTime, @Nullable ScannerResponse scanner) {

        static SbomOverviewResponse of(io.wharf.scanner.report.ScanOverview o) {
            return new SbomOverviewResponse(o.reportId(), o.status(), o.durationSeconds(),
                o.startTime() == null ? null : ApiPage.time(o.startTime()), o.endTime() == null ? null : ApiPage.time(o.endTime()),
                o.scanner() == null ? null : new ScannerResponse(o.scanner().name(), o.scanner().vendor(), o.scanner().version()));
        }
    }

    /** Harbor's {@code NativeReportSummary}. */
    record ScanOverviewResponse(@JsonProperty("report_id") String reportId, @JsonProperty("scan_status") String scanStatus,
                                @Nullable String severity, long duration, @Nullable SummaryResponse summary,
                                @JsonProperty("start_time") @Nullable String startTime,
                                @JsonProperty("end_time") @Nullable String endTime,
                                @JsonProperty("complete_percent") int completePercent,
                                @Nullable ScannerResponse scanner) {

        static ScanOverviewResponse of(io.wharf.scanner.report.ScanOverview o) {
            var s = o.summary();
            return new ScanOverviewResponse(o.reportId(), o.status(), o.severity(), o.durationSeconds(),
                s == null ? null : new SummaryResponse(s.total(), s.fixable(), s.bySeverity()),
                o.startTime() == null ? null : ApiPage.time(o.startTime()), o.endTime() == null ? null : ApiPage.time(o.endTime()),
                o.completePercent(), o.scanner() == null ? null
                    : new ScannerResponse(o.scanner().name(), o.scanner().vendor(), o.scanner().version()));
        }
    }

    /** Harbor's {@code VulnerabilitySummary}. */
    record SummaryResponse(int total, int fixable, Map<String, Integer> summary) {
    }

    /** Harbor's {@code Scanner}. */
    record ScannerResponse(String name, String vendor, String version) {
    }

    /** Harbor's {@code Repository} as a PUT body: only the description is taken. */
    record RepositoryUpdate(@Nullable String description) {
    }

    /** Harbor's {@code Tag} as a POST body: only the name is taken. */
    record TagRequest(@Nullable String name) {
    }

    static String time(@Nullable OffsetDateTime time) {
        return time == null ? NEVER : ApiPage.time(time);
    }
}
