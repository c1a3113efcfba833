package io.wharf.web.deploy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static io.wharf.web.deploy.RepositoryFiles.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart {@code helm/wharf}, linted and rendered by Helm itself (helm-java bundles it as a
 * native library: no helm binary, no cluster): the objects and fields a working install needs, secrets
 * kept out of the ConfigMap, the bundled databases only on request, and the values schema refusing
 * bad values.
 */
class HelmChartTest {

    private static final Path CHART = RepositoryFiles.root().resolve("helm/wharf");
    private static final String RELEASE = "reg";
    private static final String FULLNAME = "reg-wharf";
    /** The chart needs 1.25+ (Chart.yaml kubeVersion); helm-java's embedded default is older. */
    private static final String KUBE_VERSION = "v1.31.0";

    @Test
    void lintPassesStrict() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void rendersTheDeploymentWithReplicasPortProbesAndSecretsFromTheSecret() {
        Map<String, Object> deployment = one(render(t -> t), "Deployment", FULLNAME);
        assertThat((Integer) at(deployment, "spec.replicas")).isEqualTo(2);
        Map<String, Object> container = container(deployment);
        assertThat(String.valueOf(container.get("ports"))).contains("containerPort=5000");
        assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(String.valueOf((Object) at(container, "envFrom"))).contains("name=" + FULLNAME);
        Map<String, Map<String, Object>> env = envByName(container);
        for (var secret : Map.of("SPRING_DATASOURCE_PASSWORD", "database-password",
            "WHARF_STORAGE_MINIO_ACCESS_KEY", "minio-access-key", "WHARF_STORAGE_MINIO_SECRET_KEY", "minio-secret-key",
            "WHARF_SECRET_KEY", "secret-key", "WHARF_ADMIN_PASSWORD", "admin-password").entrySet()) {
            assertThat((String) at(env.get(secret.getKey()), "valueFrom.secretKeyRef.name")).as(secret.getKey()).isEqualTo(FULLNAME);
            assertThat((String) at(env.get(secret.getKey()), "valueFrom.secretKeyRef.key")).isEqualTo(secret.getValue());
        }
        assertThat((Boolean) at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isTrue();
        assertThat((Boolean) at(container, "securityContext.readOnlyRootFilesystem")).isTrue();
        assertThat((Object) at(deployment, "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"))
            .isNotNull();
    }

    @Test
    void givesEachNodeTheResourcesOfTheValuesAndTheImagesJvmOptions() throws IOException {
        List<Map<String, Object>> objects = render(t -> t);
        Map<String, Object> container = container(one(objects, "Deployment", FULLNAME));
        Map<String, Object> values = RepositoryFiles.yaml(Files.readString(CHART.resolve("values.yaml")));
        // README, "Kubernetes (Helm)": 0.5 CPU and 768 MiB requested, limited to 1 GiB
        assertThat((Object) at(container, "resources.limits.memory")).isEqualTo("1Gi");
        assertThat((Map<String, Object>) at(container, "resources.requests"))
            .isEqualTo(at(values, "resources.requests")).containsEntry("cpu", "500m").containsEntry("memory", "768Mi");
        // the image's options (a heap of half the limit, the serial collector, exit on OutOfMemoryError), through
        // the ConfigMap the container reads, and not replaced in its own env
        assertThat((String) at(one(objects, "ConfigMap", FULLNAME), "data.JAVA_TOOL_OPTIONS"))
            .isEqualTo(RepositoryFiles.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS"));
        assertThat(String.valueOf((Object) at(container, "envFrom"))).contains("configMapRef={name=" + FULLNAME + "}");
        assertThat(envByName(container)).doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @Test
    void rendersTheServiceAndAnIngressThatStreamsLargeLayers(@TempDir Path dir) throws IOException {
        List<Map<String, Object>> objects = render(t -> t);
        Map<String, Object> service = one(objects, "Service", FULLNAME);
        assertThat(String.valueOf((Object) at(service, "spec.ports"))).contains("targetPort=http");
        Map<String, Object> ingress = one(objects, "Ingress", FULLNAME);
        assertThat((Map<String, Object>) at(ingress, "metadata.annotations"))
            .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "900")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "900");
        assertThat(String.valueOf((Object) at(ingress, "spec.rules"))).contains("host=wharf.example.com", "name=" + FULLNAME);
        assertThat((String) at(one(objects, "ConfigMap", FULLNAME), "data.WHARF_EXTERNAL_URL")).isEqualTo("http://wharf.example.com");
        // the user's annotations win over the chart's
        Path values = dir.resolve("ingress.yaml");
        Files.writeString(values, """
            ingress:
              annotations:
                nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
            """, StandardCharsets.UTF_8);
        Map<String, Object> tuned = one(render(t -> t.withValuesFile(values)), "Ingress", FULLNAME);
        assertThat((Map<String, Object>) at(tuned, "metadata.annotations"))
            .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0");
    }

    @Test
    void keepsPasswordsAndKeysOutOfTheConfigMap() {
        List<Map<String, Object>> objects = render(t -> t
            .set("database.password", "Db-Secret-1").set("storage.minio.accessKey", "Access-Key-1")
            .set("storage.minio.secretKey", "Minio-Secret-1").set("secrets.adminPassword", "Admin-Secret-1")
            .set("secrets.secretKey", "Key-Secret-1"));
        Map<String, Object> secret = one(objects, "Secret", FULLNAME);
        Map<String, String> data = at(secret, "data");
        assertThat(decode(data.get("database-password"))).isEqualTo("Db-Secret-1");
        assertThat(decode(data.get("admin-password"))).isEqualTo("Admin-Secret-1");
        for (Map<String, Object> configMap : all(objects, "ConfigMap")) {
            Map<String, String> config = at(configMap, "data");
            assertThat(config.keySet()).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|ACCESS_KEY|PRIVATE_KEY).*"));
            assertThat(String.valueOf(config)).doesNotContain("Db-Secret-1", "Access-Key-1", "Minio-Secret-1",
                "Admin-Secret-1", "Key-Secret-1");
        }
        // and nowhere else in clear: only the Secret holds them, base64-encoded
        assertThat(String.valueOf(objects)).doesNotContain("Db-Secret-1", "Minio-Secret-1", "Admin-Secret-1");
    }

    @Test
    void usesAnExistingSecretInsteadOfMakingOne() {
        List<Map<String, Object>> objects = render(t -> t.set("existingSecret", "wharf-credentials"));
        assertThat(all(objects, "Secret")).isEmpty();
        Map<String, Map<String, Object>> env = envByName(container(one(objects, "Deployment", FULLNAME)));
        assertThat((String) at(env.get("SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef.name")).isEqualTo("wharf-credentials");
    }

    @Test
    void anExistingSecretMustHoldEveryKeyTheNodesReadAndEachIsDocumented() throws IOException {
        List<Map<String, Object>> objects = render(t -> t.set("existingSecret", "wharf-credentials")
            .set("metrics.serviceMonitor.enabled", true).set("metrics.requireOperatorApi", false));
        List<String> keys = new java.util.ArrayList<>(envByName(container(one(objects, "Deployment", FULLNAME))).values().stream()
            .filter(e -> "wharf-credentials".equals(at(e, "valueFrom.secretKeyRef.name")))
            .map(e -> (String) at(e, "valueFrom.secretKeyRef.key")).toList());
        List<Map<String, Object>> endpoints = at(one(objects, "ServiceMonitor", FULLNAME), "spec.endpoints");
        assertThat((String) at(endpoints.get(0), "authorization.credentials.name")).isEqualTo("wharf-credentials");
        keys.add(at(endpoints.get(0), "authorization.credentials.key"));
        assertThat(keys).contains("metrics-token", "admin-password", "secret-key", "database-password", "minio-access-key",
            "minio-secret-key");
        String values = Files.readString(CHART.resolve("values.yaml"));
        String schema = Files.readString(CHART.resolve("values.schema.json"));
        String readme = RepositoryFiles.read("README.md");
        for (String key : keys) {
            assertThat(values).as("values.yaml names " + key).contains(key);
            assertThat(schema).as("the schema's existingSecret names " + key).contains(key);
            assertThat(readme).as("README names " + key).contains("--from-literal=" + key + "=");
        }
        // values that an existing Secret would silently override are refused
        assertSchemaRejects(t -> t.set("existingSecret", "wharf-credentials").set("secrets.metricsToken", "t0ken"),
            "at '/secrets/metricsToken'");
        assertSchemaRejects(t -> t.set("existingSecret", "wharf-credentials").set("secrets.adminPassword", "Admin12345"),
            "at '/secrets/adminPassword'");
    }

    @Test
    void exposesTheMirrorPortOnlyWhenSet() {
        List<Map<String, Object>> plain = render(t -> t);
        assertThat(String.valueOf((Object) at(one(plain, "Service", FULLNAME), "spec.ports"))).doesNotContain("mirror");
        assertThat(String.valueOf(container(one(plain, "Deployment", FULLNAME)).get("ports"))).doesNotContain("mirror");
        assertThat(RepositoryFiles.<Map<String, String>>at(one(plain, "ConfigMap", FULLNAME), "data"))
            .doesNotContainKeys("WHARF_MIRROR_PROJECT", "WHARF_MIRROR_PORT");

        List<Map<String, Object>> mirror = render(t -> t.set("mirror.project", "dockerhub").set("mirror.port", 5001)
            .set("service.mirrorPort", 5002));
        assertThat(RepositoryFiles.<Map<String, String>>at(one(mirror, "ConfigMap", FULLNAME), "data"))
            .containsEntry("WHARF_MIRROR_PROJECT", "dockerhub").containsEntry("WHARF_MIRROR_PORT", "5001");
        assertThat(String.valueOf(container(one(mirror, "Deployment", FULLNAME)).get("ports")))
            .contains("{name=mirror, containerPort=5001, protocol=TCP}");
        List<Map<String, Object>> ports = at(one(mirror, "Service", FULLNAME), "spec.ports");
        assertThat(ports).anySatisfy(port -> assertThat(port).containsEntry("name", "mirror").containsEntry("port", 5002)
            .containsEntry("targetPort", "mirror"));

        assertSchemaRejects(t -> t.set("mirror.port", 5001), "at '/mirror/project'");
        assertSchemaRejects(t -> t.set("mirror.project", "dockerhub").set("mirror.port", 5000), "at '/mirror/port'");
        assertSchemaRejects(t -> t.set("mirror.project", "Docker Hub"), "at '/mirror/project'");
    }

    @Test
    void rendersADisruptionBudgetOnlyForMoreThanOneReplica() {
        Map<String, Object> pdb = one(render(t -> t.set("replicaCount", 2)), "PodDisruptionBudget", FULLNAME);
        assertThat((Integer) at(pdb, "spec.minAvailable")).isEqualTo(1);
        assertThat(String.valueOf((Object) at(pdb, "spec.selector.matchLabels"))).contains("app.kubernetes.io/component=registry");
        assertThat(all(render(t -> t.set("replicaCount", 1)), "PodDisruptionBudget")).isEmpty();
    }

    /**
     * The branch where the cluster serves {@code monitoring.coreos.com/v1} is not rendered here: helm-java 0.0.21, the
     * newest release on Maven Central, has no {@code --api-versions} for {@code helm template}, so the waiver
     * ({@code metrics.requireOperatorApi=false}) stands in for it.
     */
    @Test
    void rendersOperatorObjectsOnlyWhenEnabledAndTheOperatorApiIsServedOrNotRequired() {
        assertThat(all(render(t -> t), "ServiceMonitor")).isEmpty();
        // switched on, but `helm template` serves no monitoring.coreos.com/v1: nothing
        UnaryOperator<TemplateCommand> enabled = t -> t.set("metrics.serviceMonitor.enabled", true)
            .set("metrics.prometheusRule.enabled", true)
            .set("metrics.prometheusRule.groups[0].name", "example").set("metrics.prometheusRule.groups[0].rules[0].alert", "Example")
            .set("metrics.prometheusRule.groups[0].rules[0].expr", "vector(1)");
        List<Map<String, Object>> withoutApi = render(enabled);
        assertThat(all(withoutApi, "ServiceMonitor")).isEmpty();
        assertThat(all(withoutApi, "PrometheusRule")).isEmpty();
        // the API check waived (GitOps rendering without the cluster's API versions)
        List<Map<String, Object>> objects = render(t -> enabled.apply(t).set("metrics.requireOperatorApi", false));
        Map<String, Object> monitor = one(objects, "ServiceMonitor", FULLNAME);
        assertThat((String) monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        List<Map<String, Object>> endpoints = at(monitor, "spec.endpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("path", "/metrics").containsEntry("port", "http");
            // the token the pods require (WHARF_METRICS_TOKEN) from the same Secret key
            assertThat(String.valueOf(endpoint.get("authorization"))).contains("type=Bearer", "name=" + FULLNAME, "key=metrics-token");
        });
        Map<String, Map<String, Object>> env = envByName(container(one(objects, "Deployment", FULLNAME)));
        assertThat((String) at(env.get("WHARF_METRICS_TOKEN"), "valueFrom.secretKeyRef.key")).isEqualTo("metrics-token");
        assertThat(RepositoryFiles.<Map<String, Object>>at(one(objects, "Secret", FULLNAME), "data")).containsKey("metrics-token");
        // Wharf's own alerts (files/prometheus-rules/), then the groups given in the values
        Map<String, Object> rule = one(objects, "PrometheusRule", FULLNAME);
        assertThat(String.valueOf((Object) at(rule, "spec.groups"))).contains("name=wharf", "alert=WharfNodeDown",
            "alert=WharfManifestPullFailureRateHigh", "alert=WharfAuthenticationFailuresHigh", "alert=WharfStorageVolumeNearFull",
            "alert=WharfProjectStorageNearQuota", "name=example", "alert=Example");
    }

    @Test
    void bundlesPostgresqlAndMinioOnlyWhenEnabled() {
        List<Map<String, Object>> bundled = render(t -> t);
        assertThat(all(bundled, "StatefulSet")).extracting(o -> at(o, "metadata.name"))
            .containsExactlyInAnyOrder(FULLNAME + "-postgresql", FULLNAME + "-minio");
        Map<String, String> config = at(one(bundled, "ConfigMap", FULLNAME), "data");
        assertThat(config).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + FULLNAME + "-postgresql:5432/wharf")
            .containsEntry("WHARF_STORAGE_MINIO_ENDPOINT", "http://" + FULLNAME + "-minio:9000");
        one(bundled, "Service", FULLNAME + "-postgresql");
        one(bundled, "Service", FULLNAME + "-minio");

        List<Map<String, Object>> external = render(this::external);
        assertThat(all(external, "StatefulSet")).isEmpty();
        Map<String, String> externalConfig = at(one(external, "ConfigMap", FULLNAME), "data");
        assertThat(externalConfig).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/wharf")
            .containsEntry("WHARF_STORAGE_MINIO_ENDPOINT", "https://s3.example.com");
    }

    @Test
    void schemaRejectsBadValues() {
        assertSchemaRejects(t -> t.set("replicaCount", "two"), "at '/replicaCount': got string, want integer");
        assertSchemaRejects(t -> t.set("replicaCount", -1), "at '/replicaCount': minimum");
        assertSchemaRejects(t -> t.set("storage.driver", "s3"), "at '/storage/driver': value must be one of");
        assertSchemaRejects(t -> t.set("replicas", 2), "additional properties 'replicas' not allowed");
        assertSchemaRejects(t -> t.set("ingress.annotaions.x", "y"), "additional properties 'annotaions' not allowed");
        // a password among the ConfigMap's extra settings
        assertSchemaRejects(t -> t.set("env.WHARF_ADMIN_PASSWORD", "x"), "invalid propertyName 'WHARF_ADMIN_PASSWORD'");
        // external services without their addresses
        assertSchemaRejects(t -> t.set("postgresql.enabled", false), "at '/database/url': minLength");
        assertSchemaRejects(t -> t.set("minio.enabled", false), "at '/storage/minio/endpoint': minLength");
    }

    @Test
    void schemaAcceptsAnExternalProductionSetupFromAValuesFile(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("production.yaml");
        Files.writeString(values, """
            replicaCount: 3
            externalUrl: https://registry.example.com
            existingSecret: wharf-credentials
            postgresql:
              enabled: false
            minio:
              enabled: false
            database:
              url: jdbc:postgresql://db.example.com:5432/wharf
            storage:
              minio:
                endpoint: https://s3.example.com
                bucket: registry-blobs
            ingress:
              host: registry.example.com
              tls:
                enabled: true
                secretName: registry-tls
            env:
              WHARF_REGISTRY_DELETE_ENABLED: "false"
              WHARF_AUTH_TOKEN_EXPIRATION: 15m
            """, StandardCharsets.UTF_8);
        List<Map<String, Object>> objects = render(t -> t.withValuesFile(values));
        assertThat((Integer) at(one(objects, "Deployment", FULLNAME), "spec.replicas")).isEqualTo(3);
        Map<String, String> config = at(one(objects, "ConfigMap", FULLNAME), "data");
        assertThat(config).containsEntry("WHARF_EXTERNAL_URL", "https://registry.example.com")
            .containsEntry("WHARF_AUTH_TOKEN_EXPIRATION", "15m")
            .containsEntry("WHARF_STORAGE_MINIO_BUCKET", "registry-blobs")
            .containsEntry("WHARF_REGISTRY_DELETE_ENABLED", "false");
        assertThat(String.valueOf((Object) at(one(objects, "Ingress", FULLNAME), "spec.tls"))).contains("secretName=registry-tls");
    }

    @Test
    void refusesTheFilesystemDriverOnSeveralNodesWithoutASharedClaim() {
        assertRejected(t -> t.set("storage.driver", "filesystem"), "existingClaim");
        Map<String, Object> deployment = one(render(t -> t.set("storage.driver", "filesystem")
            .set("storage.filesystem.existingClaim", "wharf-blobs")), "Deployment", FULLNAME);
        assertThat(String.valueOf((Object) at(deployment, "spec.template.spec.volumes"))).contains("claimName=wharf-blobs");
    }

    @Test
    void installNotesTellWhereWharfIsAndWhereTheAdminPasswordIs() {
        Release release = new Helm(CHART).install().withName(RELEASE).withNamespace("registry")
            .withKubeVersion(KUBE_VERSION).clientOnly().dryRun().withDryRunOption(DryRun.CLIENT).call();
        assertThat(release.getOutput())
            .contains("http://wharf.example.com")
            .contains("get secret " + FULLNAME + " -o jsonpath='{.data.admin-password}'")
            .contains("bundled PostgreSQL and MinIO");
    }

    private TemplateCommand external(TemplateCommand template) {
        return template.set("postgresql.enabled", false).set("minio.enabled", false)
            .set("database.url", "jdbc:postgresql://db.example.com:5432/wharf")
            .set("storage.minio.endpoint", "https://s3.example.com");
    }

    private static void assertRejected(UnaryOperator<TemplateCommand> values, String expected) {
        assertThatThrownBy(() -> render(values)).hasMessageContaining(expected);
    }

    private static void assertSchemaRejects(UnaryOperator<TemplateCommand> values, String violation) {
        assertThatThrownBy(() -> render(values))
            .hasMessageContaining("values don't meet the specifications of the schema")
            .hasMessageContaining(violation);
    }

    private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String manifests = values.apply(new Helm(CHART).template().withName(RELEASE).withNamespace("registry").withKubeVersion(KUBE_VERSION)).call();
        return RepositoryFiles.yamlDocuments(manifests);
    }

    private static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        Optional<Map<String, Object>> found = all(objects, kind).stream()
            .filter(o -> name.equals(at(o, "metadata.name"))).findFirst();
        assertThat(found).as(kind + " " + name).isPresent();
        return found.get();
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = at(deployment, "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Map<String, Object>> envByName(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().collect(java.util.stream.Collectors.toMap(e -> (String) e.get("name"), e -> e));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
