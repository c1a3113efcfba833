package io.wharf.core.iam;

import io.wharf.core.registry.ProjectRepositories;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProjectService#list}'s visibility rule, run by the database (real PostgreSQL, Flyway
 * schema): it must agree with {@link AccessPolicy#can} for pull, and count and cut pages itself.
 * Each test runs in a transaction that is rolled back.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = ProjectVisibilityIT.Services.class)
class ProjectVisibilityIT {

    @Autowired
    ProjectService projects;

    @Autowired
    UserService users;

    private User member;
    private User outsider;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void projects() {
        member = users.create("vis-member", null, "Passw0rdOk", null, null, false);
        outsider = users.create("vis-outsider", null, "Passw0rdOk", null, null, false);
        for (int i = 0; i < 3; i++) {
            projects.create("vis-pub-" + i, true, null);
            projects.create("vis-priv-" + i, false, null);
        }
        projects.addMember(Caller.of(new Principal(Principal.Kind.USER, "root", -1L, true, Map.of()), null), "vis-priv-1", member.id(), null,
            Role.LIMITED_GUEST);
    }

    @Test
    void anonymousCallersSeeOnlyPublicProjectsPageByPage() {
        Page<Project> first = projects.list(Caller.of(Principal.ANONYMOUS, null), "vis-", null, PageRequest.of(0, 2));
        assertThat(first.map(Project::name)).containsExactly("vis-pub-0", "vis-pub-1");
        assertThat(first.getTotalElements()).isEqualTo(3);
        assertThat(projects.list(Caller.of(Principal.ANONYMOUS, null), "vis-", null, PageRequest.of(1, 2)).map(Project::name))
            .containsExactly("vis-pub-2");
        Page<Project> beyond = projects.list(Caller.of(Principal.ANONYMOUS, null), "vis-", null, PageRequest.of(7, 2));
        assertThat(beyond.getContent()).isEmpty();
        assertThat(beyond.getTotalElements()).isEqualTo(3);
    }

    @Test
    void usersSeePublicProjectsAndThoseTheyAreMembersOf() {
        assertThat(projects.list(Caller.of(Principal.user(member), null), "vis-", null, PageRequest.of(0, 10)).map(Project::name))
            .containsExactly("vis-priv-1", "vis-pub-0", "vis-pub-1", "vis-pub-2");
        assertThat(projects.list(Caller.of(Principal.user(outsider), null), "vis-", null, PageRequest.of(0, 10)).map(Project::name))
            .containsExactly("vis-pub-0", "vis-pub-1", "vis-pub-2");
        Page<Project> privateOnly = projects.list(Caller.of(Principal.user(member), null), "vis-", false, PageRequest.of(0, 10));
        assertThat(privateOnly.map(Project::name)).containsExactly("vis-priv-1");
        assertThat(privateOnly.getTotalElements()).isEqualTo(1);
    }

    @Test
    void systemAdministratorsSeeEveryProject() {
        Principal admin = new Principal(Principal.Kind.USER, "root", outsider.id(), true, Map.of());
        Page<Project> all = projects.list(Caller.of(admin, null), "vis-", null, PageRequest.of(0, 4));
        assertThat(all.getTotalElements()).isEqualTo(6);
        assertThat(all.map(Project::name)).containsExactly("vis-priv-0", "vis-priv-1", "vis-priv-2", "vis-pub-0");
        assertThat(projects.list(Caller.of(admin, null), "vis-", false, PageRequest.of(0, 10)).getTotalElements()).isEqualTo(3);
        assertThat(projects.list(Caller.of(admin, null), "vis-", true, PageRequest.of(0, 10)).getTotalElements()).isEqualTo(3);
    }

    @Test
    void robotsSeeTheProjectsTheyMayPullFrom() {
        Principal robot = new Principal(Principal.Kind.ROBOT, "robot$vis", null, false,
            Map.of("vis-priv-0", Set.of("pull", "push"), "vis-priv-2", Set.of("push")));
        assertThat(projects.list(Caller.of(robot, null), "vis-", null, PageRequest.of(0, 10)).map(Project::name))
            .containsExactly("vis-priv-0", "vis-pub-0", "vis-pub-1", "vis-pub-2");
        Principal everywhere = new Principal(Principal.Kind.ROBOT, "robot$all", null, false, Map.of("*", Set.of("pull")));
        assertThat(projects.list(Caller.of(everywhere, null), "vis-", null, PageRequest.of(0, 10)).getTotalElements()).isEqualTo(6);
    }

    @Test
    void agreesWithTheAccessPolicy() {
        AccessPolicy policy = new AccessPolicy(projects);
        Principal robot = new Principal(Principal.Kind.ROBOT, "robot$vis", null, false, Map.of("vis-priv-2", Set.of("pull")));
        for (Principal caller : new Principal[] {Principal.ANONYMOUS, Principal.user(member), Principal.user(outsider), robot}) {
            Set<String> listed = Set.copyOf(projects.list(Caller.of(caller, null), "vis-", null, PageRequest.of(0, 100)).map(Project::name).getContent());
            for (String name : new String[] {"vis-pub-0", "vis-pub-1", "vis-pub-2", "vis-priv-0", "vis-priv-1", "vis-priv-2"}) {
                assertThat(listed.contains(name)).as("%s lists %s", caller.name(), name)
                    .isEqualTo(policy.can(caller, projects.get(name), Role.Capability.PULL));
            }
        }
    }

    @Test
    void nameFiltersMatchLiterally() {
        projects.create("vis-a_b", false, null);
        projects.create("vis-axb", false, null);
        Principal admin = new Principal(Principal.Kind.USER, "root", outsider.id(), true, Map.of());
        assertThat(projects.list(Caller.of(admin, null), "a_b", null, PageRequest.of(0, 10)).map(Project::name)).containsExactly("vis-a_b");
        assertThat(projects.list(Caller.of(admin, null), "%", null, PageRequest.of(0, 10)).getTotalElements()).isZero();
        assertThat(projects.list(Caller.of(admin, null), null, null, PageRequest.of(0, 100)).getTotalElements()).isEqualTo(8);
    }

    /** Core's JPA repositories and entities, and the services under test. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackages = "io.wharf.core")
    @Import({ProjectService.class, UserService.class, AccessPolicy.class, IamConfiguration.class, ProjectRepositories.class,
        RepositoryStore.class, io.wharf.core.registry.metadata.LinkedBlobStore.class, io.wharf.core.storage.BlobStore.class,
        io.wharf.core.quota.QuotaService.class})
    // the quota row every project gets at creation: QuotaService's package-private table
    @org.springframework.context.annotation.ComponentScan(basePackageClasses = io.wharf.core.quota.QuotaService.class,
        useDefaultFilters = false, includeFilters = @org.springframework.context.annotation.ComponentScan.Filter(
            type = org.springframework.context.annotation.FilterType.REGEX, pattern = "io\\.wharf\\.core\\.quota\\.QuotaTable"))
    @org.springframework.boot.context.properties.EnableConfigurationProperties({io.wharf.core.quota.QuotaProperties.class,
        io.wharf.core.gc.GcProperties.class})
    static class Services {

        @org.springframework.context.annotation.Bean
        io.wharf.core.storage.driver.StorageDriver storageDriver() {
            return new io.wharf.core.storage.driver.inmemory.InMemoryStorageDriver();
        }

        @org.springframework.context.annotation.Bean
        java.time.Clock clock() {
            return java.time.Clock.systemUTC();
        }
    }
}
