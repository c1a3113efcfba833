package io.wharf.api.v2;

import io.wharf.core.PlatformProperties;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.AuthProperties;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.TokenService;
import io.wharf.core.iam.UserService;
import io.wharf.core.registry.BlobUploadService;
import io.wharf.core.registry.ManifestContent;
import io.wharf.core.registry.RegistryProperties;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.system.MetricsProperties;
import io.wharf.scanner.trigger.ScanProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The {@code /v2} web layer in a slice, with the registry use cases mocked: the route filter, the
 * registry's security chain (challenge, token check, edge authorization) and the manifest
 * controller's headers, without a database or a server.
 */
@WebMvcTest(controllers = {ManifestController.class, BaseController.class}, includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
    pattern = {"io\\.wharf\\.api\\.security\\.SecurityConfiguration", "io\\.wharf\\.api\\.v2\\.V2RouteFilter", "io\\.wharf\\.api\\.error\\..*"}))
@EnableConfigurationProperties({PlatformProperties.class, AuthProperties.class, RegistryProperties.class, MetricsProperties.class,
    ScanProperties.class})
class ManifestControllerWebMvcTest {

    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}";
    private static final Digest DIGEST = Digest.sha256(MANIFEST.getBytes(StandardCharsets.UTF_8));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    RegistryService registry;
    @MockitoBean
    BlobUploadService uploads;
    @MockitoBean
    AccessPolicy policy;
    @MockitoBean
    TokenService tokens;
    @MockitoBean
    LoginService logins;
    @MockitoBean
    UserService users;
    @MockitoBean
    RobotService robots;

    @BeforeEach
    void tokens() {
        when(tokens.verify("pull-token")).thenReturn(new TokenService.Claims("alice",
            List.of(new TokenService.Access("repository", "team/app", Set.of("pull")))));
        when(tokens.verify("forged")).thenThrow(new PlatformException(ErrorCode.UNAUTHORIZED, "bad token signature"));
        when(policy.repositoryActions(any(Caller.class), eq(RepositoryName.of("team/app")))).thenAnswer(call ->
            ((Caller) call.getArgument(0)).token().actions("repository", "team/app"));
    }

    @Test
    void anonymousPullIsSentForATokenWithTheScopeItNeeds() throws Exception {
        mvc.perform(get("/v2/team/app/manifests/1.0").header("Host", "wharf.example.com"))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate",
                "Bearer realm=\"http://wharf.example.com/service/token\",service=\"wharf\",scope=\"repository:team/app:pull\""))
            .andExpect(header().string("Docker-Distribution-API-Version", "registry/2.0"))
            .andExpect(jsonPath("$.errors[0].code").value("UNAUTHORIZED"));
        verify(registry, never()).getManifest(any(), any(), any(), any());
    }

    @Test
    void aTokenGrantingPullGetsTheManifestWithItsDigest() throws Exception {
        ManifestInfo info = new ManifestInfo(1, DIGEST, "application/vnd.oci.image.manifest.v1+json", MANIFEST.length(), null, null, null,
            java.time.OffsetDateTime.now());
        when(registry.getManifest(any(Caller.class), eq(RepositoryName.of("team/app")), any(), any()))
            .thenReturn(new ManifestContent(info, MANIFEST.getBytes(StandardCharsets.UTF_8)));
        mvc.perform(get("/v2/team/app/manifests/1.0").header("Authorization", "Bearer pull-token"))
            .andExpect(status().isOk())
            .andExpect(header().string("Docker-Content-Digest", DIGEST.toString()))
            .andExpect(header().string("Content-Type", "application/vnd.oci.image.manifest.v1+json"));
    }

    @Test
    void aTokenWithoutPushIsToldItsScopeIsInsufficient() throws Exception {
        mvc.perform(put("/v2/team/app/manifests/1.0").header("Authorization", "Bearer pull-token")
                .contentType("application/vnd.oci.image.manifest.v1+json").content(MANIFEST))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate", containsString("scope=\"repository:team/app:pull,push\"")))
            .andExpect(header().string("WWW-Authenticate", containsString("error=\"insufficient_scope\"")));
        verify(registry, never()).putManifest(any(), any(), any(), any(), any());
    }

    @Test
    void aTokenThatDoesNotVerifyIsAnInvalidToken() throws Exception {
        mvc.perform(get("/v2/team/app/manifests/1.0").header("Authorization", "Bearer forged"))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate", containsString("error=\"invalid_token\"")))
            .andExpect(jsonPath("$.errors[0].code").value("UNAUTHORIZED"));
    }
}
