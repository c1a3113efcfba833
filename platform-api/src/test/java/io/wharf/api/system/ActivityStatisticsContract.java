package io.wharf.api.system;

import io.wharf.api.ApiTestApplication;
import io.wharf.core.audit.AuditService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.UserService;
import io.wharf.core.system.Activity;
import io.wharf.core.system.StatisticsService;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's numbers ({@link StatisticsService#activity}), counted by the database from real
 * pushes and pulls: pushes and pulls per day (UTC) over the last 14 days by the injected clock, zeros
 * for quiet days, nothing from before; the storage each project holds, each digest once per project;
 * the newest pushes. A user who is no member sees only the public project's share; anonymous callers
 * see nothing. Extended once per database, since the counting is SQL.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = TestAccounts.ADMIN_PASSWORD_PROPERTY + "=" + TestAccounts.ADMIN_PASSWORD)
@Import(ActivityStatisticsContract.Time.class)
abstract class ActivityStatisticsContract {

    /** "Now" for the whole class: the statistics' last day is 2030-06-15. */
    private static final Instant NOW = Instant.parse("2030-06-15T10:00:00Z");

    /** A clock the test sets to the time of each push and pull. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Time {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(NOW, ZoneOffset.UTC);
        }
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("wharf-activity").toString();
        registry.add("wharf.data-dir", () -> dataDir);
    }

    @Autowired
    MutableClock clock;

    @Autowired
    StatisticsService statistics;

    @Autowired
    AuditService audit;

    @Autowired
    UserService users;

    @Test
    void countsPushesPullsAndStorageOfTheProjectsTheCallerSees() {
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject("priv", false);
        admin.createProject("pub", true);
        admin.createUser("member", TestAccounts.USER_PASSWORD);
        admin.addMember("priv", "member", TestAccounts.ROLE_DEVELOPER);
        admin.createUser("outsider", TestAccounts.USER_PASSWORD);
        TestImage a = TestImage.simple("a");
        TestImage b = TestImage.simple("b");
        TestImage c = TestImage.simple("c");
        TestImage old = TestImage.simple("old");

        at("2030-06-01T23:59:59Z"); // the day before the first day shown
        admin.push("priv/old", "1", old);
        at("2030-06-12T23:59:30Z");
        admin.push("priv/app", "1", a);
        admin.push("priv/tool", "1", b);
        admin.push("priv/copy", "2", a); // the same blobs in a second repository of the project count once
        at("2030-06-13T00:00:10Z");
        admin.getManifest("priv/app", "1").expect(200);
        admin.getManifest("priv/app", a.manifestDigest()).expect(200);
        admin.push("pub/app", "1", c);
        at("2030-06-15T09:00:00Z");
        RegistryClient.forPort(port).as(Credentials.user("outsider")).getManifest("pub/app", "1").expect(200);
        at(NOW.toString());
        audit.flush();

        Activity all = statistics.activity(user(TestAccounts.ADMIN_USERNAME));
        assertThat(all.days()).hasSize(14);
        assertThat(all.days().get(0).day()).isEqualTo(LocalDate.parse("2030-06-02"));
        assertThat(all.days().get(13).day()).isEqualTo(LocalDate.parse("2030-06-15"));
        assertThat(busyDays(all)).isEqualTo(Map.of("2030-06-12", "3/0", "2030-06-13", "1/2", "2030-06-15", "0/1"));
        long priv = a.storedSize() + b.storedSize() + old.storedSize();
        assertThat(all.storageByProject()).containsExactly(new Activity.ProjectStorage("priv", priv),
            new Activity.ProjectStorage("pub", c.storedSize()));
        assertThat(all.storageUsed()).isEqualTo(priv + c.storedSize());
        assertThat(all.recentPushes()).extracting(p -> p.repository() + ":" + p.reference())
            .containsExactly("pub/app:1", "priv/copy:2", "priv/tool:1", "priv/app:1", "priv/old:1");
        assertThat(all.recentPushes().get(0).at().toInstant()).isEqualTo(Instant.parse("2030-06-13T00:00:10Z"));

        Activity member = statistics.activity(user("member"));
        assertThat(busyDays(member)).isEqualTo(busyDays(all));
        assertThat(member.storageByProject()).isEqualTo(all.storageByProject());

        Activity outsider = statistics.activity(user("outsider"));
        assertThat(busyDays(outsider)).isEqualTo(Map.of("2030-06-13", "1/0", "2030-06-15", "0/1"));
        assertThat(outsider.days()).hasSize(14);
        assertThat(outsider.storageByProject()).containsExactly(new Activity.ProjectStorage("pub", c.storedSize()));
        assertThat(outsider.storageUsed()).isEqualTo(c.storedSize());
        assertThat(outsider.recentPushes()).extracting(Activity.Push::repository).containsExactly("pub/app");

        assertThatThrownBy(() -> statistics.activity(Caller.of(Principal.ANONYMOUS, null)))
            .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    private void at(String instant) {
        clock.set(Instant.parse(instant));
    }

    private Caller user(String username) {
        return Caller.of(Principal.user(users.findByUsername(username).orElseThrow()), null);
    }

    /** The days with pushes or pulls, as {@code day -> "pushes/pulls"}. */
    private static Map<String, String> busyDays(Activity activity) {
        return activity.days().stream().filter(d -> d.pushes() + d.pulls() > 0)
            .collect(Collectors.toMap(d -> d.day().toString(), d -> d.pushes() + "/" + d.pulls()));
    }

}
