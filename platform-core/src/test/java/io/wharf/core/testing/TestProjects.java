package io.wharf.core.testing;

import io.wharf.core.iam.ProjectService;

/**
 * The projects the integration tests push into. Pushing never creates a project, so each test context
 * creates the ones its repositories live in; this is the one test helper that needs core types (the rest of
 * the test kit is {@code platform-test-support}).
 */
public final class TestProjects {

    private TestProjects() {
    }

    /**
     * Creates each named project that does not exist yet, private and owned by the system; projects
     * that exist are left as they are, so contexts shared by several test classes can call this freely.
     */
    public static void ensure(ProjectService projects, String... names) {
        for (String name : names) {
            if (projects.find(name).isEmpty()) {
                projects.create(name, false, null);
            }
        }
    }
}
