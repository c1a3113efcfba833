package io.wharf.api.artifact;

import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with repositories and artifacts, every role and anonymous, in a private and a
 * public project, against Harbor's matrix written out here: pull-level reads for every member (and
 * anyone in a public project), description changes, tagging and copying in for Developers and up,
 * deletes for Maintainers and up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactRoleMatrixIT extends ArtifactApiIntegrationTest {

    enum Who {
        SYSTEM_ADMIN(0), PROJECT_ADMIN(1), MAINTAINER(4), DEVELOPER(2), GUEST(3), LIMITED_GUEST(5), NON_MEMBER(0), ANONYMOUS(0);

        final int roleId;

        Who(int roleId) {
            this.roleId = roleId;
        }
    }

    /** The operations, each with the lowest role (by Harbor's order) that may do it in a private project. */
    enum Operation {
        READ(Who.LIMITED_GUEST), DESCRIBE(Who.DEVELOPER), TAG(Who.DEVELOPER), COPY_IN(Who.DEVELOPER),
        DELETE_TAG(Who.MAINTAINER), DELETE_ARTIFACT(Who.MAINTAINER), DELETE_REPOSITORY(Who.MAINTAINER);

        final Who lowest;

        Operation(Who lowest) {
            this.lowest = lowest;
        }
    }

    private static final Who[] RANK = {Who.SYSTEM_ADMIN, Who.PROJECT_ADMIN, Who.MAINTAINER, Who.DEVELOPER, Who.GUEST, Who.LIMITED_GUEST};

    static boolean allowed(boolean isPublic, Who who, Operation operation) {
        if (operation == Operation.READ && isPublic) {
            return true;
        }
        for (Who rank : RANK) {
            if (rank == who) {
                return true;
            }
            if (rank == operation.lowest) {
                return false;
            }
        }
        return false;
    }

    static Stream<Arguments> cells() {
        Stream.Builder<Arguments> cells = Stream.builder();
        for (boolean isPublic : new boolean[] {false, true}) {
            for (Who who : Who.values()) {
                for (Operation operation : Operation.values()) {
                    cells.add(Arguments.of(isPublic ? "public" : "private", who, operation,
                        allowed(isPublic, who, operation) ? "allowed" : "denied"));
                }
            }
        }
        return cells.build();
    }

    private final Map<Who, Credentials> credentials = new EnumMap<>(Who.class);
    private final String run = unique("m");
    private String source;

    @BeforeAll
    void setUp() {
        RegistryClient admin = admin();
        source = run + "-source";
        admin.createProject(source, true);
        admin.push(source + "/app", "latest", TestImage.simple(source));
        for (String visibility : new String[] {"private", "public"}) {
            admin.createProject(project(visibility), visibility.equals("public"));
        }
        for (Who who : Who.values()) {
            switch (who) {
                case SYSTEM_ADMIN -> credentials.put(who, Credentials.admin());
                case ANONYMOUS -> credentials.put(who, Credentials.NONE);
                default -> {
                    String username = run + "-" + who.name().toLowerCase(Locale.ROOT).replace('_', '-');
                    admin.createUser(username, TestAccounts.USER_PASSWORD);
                    credentials.put(who, Credentials.user(username));
                    if (who.roleId > 0) {
                        admin.addMember(project("private"), username, who.roleId);
                        admin.addMember(project("public"), username, who.roleId);
                    }
                }
            }
        }
    }

    private String project(String visibility) {
        return run + "-" + visibility;
    }

    @ParameterizedTest(name = "{0} project, {1}, {2}: {3}")
    @MethodSource("cells")
    void cell(String visibility, Who who, Operation operation, String expected) {
        // every cell gets a repository of its own, so deletes and copies cannot disturb other cells
        String name = project(visibility) + "/" + who.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/"
            + operation.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String digest = admin().push(name, "v1", TestImage.simple(name));
        String path = repositoryPath(name);
        RegistryClient client = http().as(credentials.get(who));
        Response response = switch (operation) {
            case READ -> {
                Response list = client.get(path + "/artifacts");
                yield list.status() != 200 ? list : client.get(path + "/artifacts/v1");
            }
            case DESCRIBE -> client.put(path, "{\"description\":\"by " + who + "\"}");
            case TAG -> client.post(path + "/artifacts/" + digest + "/tags", "{\"name\":\"tagged\"}");
            case COPY_IN -> client.post(path + "/artifacts?from=" + source + "/app:latest", null);
            case DELETE_TAG -> client.delete(path + "/artifacts/" + digest + "/tags/v1");
            case DELETE_ARTIFACT -> client.delete(path + "/artifacts/" + digest);
            case DELETE_REPOSITORY -> client.delete(path);
        };
        if (expected.equals("allowed")) {
            assertThat(response.status()).as("%s", response).isBetween(200, 201);
        } else if (who == Who.ANONYMOUS) {
            assertHarborError(response, 401, "UNAUTHORIZED");
        } else {
            assertHarborError(response, 403, "FORBIDDEN");
        }
    }
}
