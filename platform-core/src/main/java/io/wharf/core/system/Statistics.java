package io.wharf.core.system;

/**
 * Harbor's statistics: projects and repositories the caller can see, and the storage used.
 *
 * @param publicProjectCount   public projects (everyone sees them)
 * @param privateProjectCount  private projects the caller sees (every one for system administrators)
 * @param publicRepoCount      repositories in public projects
 * @param privateRepoCount     repositories in the private projects the caller sees
 * @param totalStorageConsumption bytes of all blobs, each digest once; system administrators only, 0 for others
 */
public record Statistics(long publicProjectCount, long privateProjectCount, long publicRepoCount, long privateRepoCount,
                         long totalStorageConsumption) {

    /** Public and private projects the caller sees. */
    public long totalProjectCount() {
        return publicProjectCount + privateProjectCount;
    }

    /** Repositories in the projects the caller sees. */
    public long totalRepoCount() {
        return publicRepoCount + privateRepoCount;
    }
}
