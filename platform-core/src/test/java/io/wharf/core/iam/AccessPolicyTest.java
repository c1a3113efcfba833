package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.RepositoryName;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What a {@link Caller} may do: a token's grants rule over the identity's rights, decided once per call. */
class AccessPolicyTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    private static final Project TEAM = new Project(1, "team", false, null, T0, T0, null);
    private static final RepositoryName APP = RepositoryName.of("team/app");

    private final ProjectService projects = mock(ProjectService.class);
    private final AccessPolicy policy = new AccessPolicy(projects);
    private final Principal developer = new Principal(Principal.Kind.USER, "dev", 7L, false, Map.of());

    AccessPolicyTest() {
        when(projects.find("team")).thenReturn(Optional.of(TEAM));
        when(projects.role(1, 7)).thenReturn(Optional.of(Role.DEVELOPER));
    }

    @Test
    void credentialsCallerGetsWhatItsRoleAllowsAndTheDecisionIsMadeOnce() {
        Caller caller = Caller.of(developer, "10.0.0.1");
        policy.require(caller, APP, AccessPolicy.PUSH);
        policy.require(caller, APP, AccessPolicy.PULL);
        assertThatThrownBy(() -> policy.require(caller, APP, AccessPolicy.DELETE))
            .isInstanceOf(PlatformException.class).extracting(e -> ((PlatformException) e).code()).isEqualTo(ErrorCode.DENIED);
        verify(projects, times(1)).find("team");
    }

    @Test
    void tokenCallerGetsOnlyWhatTheTokenGrantsWhateverItsIdentityMayDo() {
        TokenService.Claims claims = new TokenService.Claims("dev",
            List.of(new TokenService.Access("repository", "team/app", Set.of("pull"))));
        Caller caller = Caller.withToken(claims, () -> developer, null);
        assertThat(policy.repositoryActions(caller, APP)).containsExactly(AccessPolicy.PULL);
        assertThat(policy.repositoryActions(caller, RepositoryName.of("team/other"))).isEmpty();
        // the catalog and mounts without "from" ask the identity, which a token cannot name in advance
        assertThat(policy.maySee(caller, RepositoryName.of("team/other"))).isTrue();
    }

    @Test
    void wildcardInATokenStandsForEveryAction() {
        Caller caller = Caller.withToken(new TokenService.Claims("admin",
            List.of(new TokenService.Access("repository", "team/app", Set.of("*")))), () -> developer, null);
        assertThat(policy.repositoryActions(caller, APP)).containsExactlyInAnyOrder("pull", "push", "delete");
    }

    @Test
    void theIdentityOfATokenCallerIsLookedUpOnlyWhenADecisionNeedsIt() {
        int[] lookups = {0};
        Caller caller = Caller.withToken(new TokenService.Claims("dev",
            List.of(new TokenService.Access("repository", "team/app", Set.of("pull")))), () -> {
                lookups[0]++;
                return developer;
            }, null);
        policy.require(caller, APP, AccessPolicy.PULL);
        assertThat(lookups[0]).isZero();
        policy.maySee(caller, APP);
        policy.maySee(caller, APP);
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void anonymousCallersMustLogInAndRobotsAreNotUsers() {
        assertThatThrownBy(() -> policy.requireUser(Caller.of(Principal.ANONYMOUS, null)))
            .extracting(e -> ((PlatformException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        Principal robot = new Principal(Principal.Kind.ROBOT, "robot$team+ci", null, false, Map.of("team", Set.of("pull")));
        assertThatThrownBy(() -> policy.requireUser(Caller.of(robot, null)))
            .extracting(e -> ((PlatformException) e).code()).isEqualTo(ErrorCode.DENIED);
        assertThatThrownBy(() -> policy.require(Caller.of(Principal.ANONYMOUS, null), TEAM, Role.Capability.MANAGE))
            .extracting(e -> ((PlatformException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
}
