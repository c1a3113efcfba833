package io.wharf.api.artifact;

import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.registry.RepositoryName;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestImage.Platform;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v2.0/projects/{p}/repositories/{r}/artifacts} and the artifacts' tags. */
class ArtifactsApiIT extends ArtifactApiIntegrationTest {

    @Autowired
    ArtifactService artifacts;

    @Test
    void anImageShowsHarborsFieldsAndItsConfigsAttributes() {
        String p = unique("img");
        admin().createProject(p, false);
        TestImage image = TestImage.create(TestImage.Format.OCI, p);
        admin().push(p + "/app", "1.0", image);

        JsonNode artifact = admin().get(repositoryPath(p + "/app") + "/artifacts/1.0").expect(200).json();
        assertThat(artifact.path("digest").asString()).isEqualTo(image.manifestDigest());
        assertThat(artifact.path("type").asString()).isEqualTo("IMAGE");
        assertThat(artifact.path("media_type").asString()).isEqualTo(TestImage.OCI_CONFIG);
        assertThat(artifact.path("manifest_media_type").asString()).isEqualTo(TestImage.OCI_MANIFEST);
        assertThat(artifact.path("artifact_type").asString()).isEqualTo(TestImage.OCI_CONFIG);
        assertThat(artifact.path("size").asLong())
            .isEqualTo(image.manifestSize() + image.config().length + image.layer().length);
        assertThat(artifact.path("project_id").asLong()).isEqualTo(admin().projectId(p));
        assertThat(artifact.path("pull_time").asString()).isEqualTo("0001-01-01T00:00:00.000Z");
        assertThat(artifact.path("extra_attrs").path("os").asString()).isEqualTo("linux");
        assertThat(artifact.path("extra_attrs").path("architecture").asString()).isEqualTo("amd64");
        assertThat(artifact.path("extra_attrs").path("config").path("Cmd").path(0).asString()).isEqualTo("/hello");
        assertThat(artifact.path("tags").path(0).path("name").asString()).isEqualTo("1.0");
        assertThat(artifact.path("tags").path(0).path("artifact_id").asLong()).isEqualTo(artifact.path("id").asLong());
        assertThat(artifact.path("tags").path(0).path("immutable").asBoolean()).isFalse();
        assertThat(artifact.path("references").isNull()).isTrue();

        JsonNode byDigest = admin().get(repositoryPath(p + "/app") + "/artifacts/" + image.manifestDigest() + "?with_tag=false")
            .expect(200).json();
        assertThat(byDigest.path("id").asLong()).isEqualTo(artifact.path("id").asLong());
        assertThat(byDigest.path("tags").isNull()).isTrue();
        assertHarborError(admin().get(repositoryPath(p + "/app") + "/artifacts/nope"), 404, "NOT_FOUND");
    }

    @Test
    void anIndexListsItsChildrenWithTheirPlatforms() {
        String p = unique("idx");
        admin().createProject(p, false);
        String name = p + "/multi";
        Map<Platform, TestImage> images = new LinkedHashMap<>();
        images.put(Platform.of("linux", "amd64"), TestImage.simple(p + " amd64"));
        images.put(new Platform("linux", "arm", "v7"), TestImage.simple(p + " arm"));
        TestImage.Blob index = pushIndex(name, "latest", images);

        JsonNode artifact = admin().get(repositoryPath(name) + "/artifacts/latest").expect(200).json();
        assertThat(artifact.path("manifest_media_type").asString()).isEqualTo(TestImage.OCI_INDEX);
        assertThat(artifact.path("media_type").asString()).isEqualTo(TestImage.OCI_INDEX);
        assertThat(artifact.path("type").asString()).isEqualTo("IMAGE");
        JsonNode references = artifact.path("references");
        assertThat(references.size()).isEqualTo(2);
        TestImage arm = images.get(new Platform("linux", "arm", "v7"));
        JsonNode second = references.path(1);
        assertThat(second.path("child_digest").asString()).isEqualTo(arm.manifestDigest());
        assertThat(second.path("parent_id").asLong()).isEqualTo(artifact.path("id").asLong());
        assertThat(second.path("platform").path("os").asString()).isEqualTo("linux");
        assertThat(second.path("platform").path("architecture").asString()).isEqualTo("arm");
        assertThat(second.path("platform").path("variant").asString()).isEqualTo("v7");
        JsonNode child = admin().get(repositoryPath(name) + "/artifacts/" + arm.manifestDigest()).expect(200).json();
        assertThat(second.path("child_id").asLong()).isEqualTo(child.path("id").asLong());
        assertThat(artifact.path("size").asLong()).isGreaterThan(index.size() + child.path("size").asLong());

        Response untagged = admin().get(repositoryPath(name) + "/artifacts?q=tags%3Dnil").expect(200);
        assertThat(values(untagged, "digest")).containsExactlyInAnyOrder(images.values().stream().map(TestImage::manifestDigest).toArray(String[]::new));
        assertThat(values(admin().get(repositoryPath(name) + "/artifacts?q=tags%3D*"), "digest")).containsExactly(index.digest());
        assertThat(values(admin().get(repositoryPath(name) + "/artifacts?q=tags%3D~ate"), "digest")).containsExactly(index.digest());
        assertThat(values(admin().get(repositoryPath(name) + "/artifacts?q=tags%3Dlate"), "digest")).isEmpty();
    }

    @Test
    void artifactsArePagedNewestFirst() {
        String p = unique("page");
        List<String> pushed = pushThree(p + "/app");
        String first = pushed.get(0);
        String second = pushed.get(1);
        String third = pushed.get(2);

        Response page1 = admin().get(repositoryPath(p + "/app") + "/artifacts?page=1&page_size=2").expect(200);
        assertThat(page1.header("X-Total-Count")).contains("3");
        assertThat(page1.header("Link").orElse("")).contains("rel=\"next\"");
        Response page2 = admin().get(repositoryPath(p + "/app") + "/artifacts?page=2&page_size=2").expect(200);
        assertThat(values(page1, "digest")).containsExactly(third, second);
        assertThat(values(page2, "digest")).containsExactly(first);
        assertThat(values(admin().get(repositoryPath(p + "/app") + "/artifacts?sort=push_time"), "digest"))
            .containsExactly(first, second, third);
        assertHarborError(admin().get(repositoryPath(p + "/app") + "/artifacts?q=labels%3D(1)"), 400, "BAD_REQUEST");
    }

    @Test
    void artifactsAreFilteredByListsOfDigestsButTagsTakeNoList() {
        String name = unique("digests") + "/app";
        List<String> d = pushThree(name);
        Function<String, Response> query = q -> admin().get(repositoryPath(name) + "/artifacts?q=" + RegistryClient.encode(q));

        assertThat(values(query.apply("digest={" + d.get(0) + " " + d.get(2) + "}"), "digest")).containsExactly(d.get(2), d.get(0));
        assertThat(values(query.apply("digest=(" + d.get(0) + " " + d.get(2) + ")"), "digest")).isEmpty();
        assertThat(values(query.apply("digest=(" + d.get(1) + ")"), "digest")).containsExactly(d.get(1));
        assertThat(values(query.apply("digest=~" + d.get(1).substring(7, 30)), "digest")).containsExactly(d.get(1));
        assertThat(values(query.apply("digest=" + d.get(1) + ",tags=v2"), "digest")).containsExactly(d.get(1));
        assertHarborError(query.apply("digest={" + d.get(0) + " nope}"), 400, "BAD_REQUEST");
        // as in Harbor, whose tag filter takes only tags=v and tags=~v
        assertHarborError(query.apply("tags={v1 v2}"), 400, "BAD_REQUEST");
        assertHarborError(query.apply("tags=(v1)"), 400, "BAD_REQUEST");
    }

    @Test
    void harborsLabelAndImmutabilityFlagsAreAcceptedAndChangeNothing() {
        String p = unique("flags");
        admin().createProject(p, false);
        admin().push(p + "/app", "v1", TestImage.simple(p));
        String flags = "with_label=true&with_immutable_status=true&with_scan_overview=true&with_accessory=true&with_signature=true";

        JsonNode listed = admin().get(repositoryPath(p + "/app") + "/artifacts?" + flags).expect(200).json().path(0);
        JsonNode read = admin().get(repositoryPath(p + "/app") + "/artifacts/v1?" + flags).expect(200).json();
        for (JsonNode artifact : List.of(listed, read)) {
            assertThat(artifact.path("labels").isArray()).as("%s", artifact).isTrue();
            assertThat(artifact.path("labels").size()).isZero();
            assertThat(artifact.path("tags").path(0).path("immutable").asBoolean()).isFalse();
        }
        assertThat(admin().get(repositoryPath(p + "/app") + "/artifacts/v1").json().path("labels").isNull()).isTrue();
        assertHarborError(admin().get(repositoryPath(p + "/app") + "/artifacts?with_label=maybe"), 400, "BAD_REQUEST");
    }

    @Test
    void pullsThroughV2AreCountedWithTheirTime() {
        String p = unique("pulls");
        admin().createProject(p, true);
        String name = p + "/app";
        String digest = admin().push(name, "v1", TestImage.simple(p));
        admin().push(name, "v2", TestImage.simple(p + " never pulled"));

        admin().getManifest(name, "v1").expect(200);
        admin().getManifest(name, "v1").expect(200);
        // anonymous, through the token flow, by digest: counted for the repository and the manifest, not the tag
        http().withTokenFlow().getManifest(name, digest).expect(200);
        admin().headManifest(name, "v1").expect(200);
        pulls.flush();

        assertThat(admin().get(repositoryPath(name)).expect(200).json().path("pull_count").asLong()).isEqualTo(3);
        JsonNode artifact = admin().get(repositoryPath(name) + "/artifacts/v1").expect(200).json();
        assertThat(artifact.path("pull_time").asString()).isNotEqualTo("0001-01-01T00:00:00.000Z")
            .isGreaterThanOrEqualTo(artifact.path("push_time").asString());
        assertThat(artifact.path("tags").path(0).path("pull_time").asString()).isNotEqualTo("0001-01-01T00:00:00.000Z");
        // each manifest counts its own pulls, by tag and by digest (the console shows them; Harbor's JSON has no field)
        Caller root = Caller.of(new Principal(Principal.Kind.USER, TestAccounts.ADMIN_USERNAME, null, true, Map.of()), null);
        assertThat(artifacts.get(root, RepositoryName.of(name), "v1", false).pullCount()).isEqualTo(3);
        assertThat(artifacts.get(root, RepositoryName.of(name), "v2", false).pullCount()).isZero();
    }

    @Test
    void tagsAreListedCreatedAndDeleted() {
        String p = unique("tags");
        admin().createProject(p, false);
        String name = p + "/app";
        String digest = admin().push(name, "v1", TestImage.simple(p));
        String tags = repositoryPath(name) + "/artifacts/" + digest + "/tags";

        Response created = http().as(user(p, TestAccounts.ROLE_DEVELOPER)).post(tags, "{\"name\":\"v2\"}").expect(201);
        assertThat(created.header("Location").orElse("")).endsWith("/tags/v2");
        assertHarborError(admin().post(tags, "{\"name\":\"v2\"}"), 409, "CONFLICT");
        assertHarborError(admin().post(tags, "{\"name\":\"-bad\"}"), 400, "BAD_REQUEST");
        assertThat(admin().getManifest(name, "v2").status()).isEqualTo(200);

        // Harbor's order: the newest tag first
        Response page = admin().get(tags + "?page_size=1").expect(200);
        assertThat(values(page, "name")).containsExactly("v2");
        assertThat(page.header("X-Total-Count")).contains("2");
        admin().post(tags, "{\"name\":\"a0\"}").expect(201);
        assertThat(values(admin().get(tags), "name")).containsExactly("a0", "v2", "v1");
        assertThat(values(admin().get(tags + "?sort=name"), "name")).containsExactly("a0", "v1", "v2");
        assertThat(values(admin().get(tags + "?q=name%3D~2"), "name")).containsExactly("v2");
        assertThat(values(admin().get(tags + "?q=" + RegistryClient.encode("name={v1 a0}")), "name")).containsExactly("a0", "v1");
        assertThat(values(admin().get(tags + "?q=" + RegistryClient.encode("name=(v1 a0)")), "name")).isEmpty();
        admin().delete(tags + "/a0").expect(200);

        assertHarborError(http().as(user(p, TestAccounts.ROLE_DEVELOPER)).delete(tags + "/v2"), 403, "FORBIDDEN");
        http().as(user(p, TestAccounts.ROLE_MAINTAINER)).delete(tags + "/v2").expect(200);
        assertThat(admin().getManifest(name, "v2").status()).isEqualTo(404);
        assertThat(admin().getManifest(name, digest).status()).as("the artifact stays").isEqualTo(200);
        assertHarborError(admin().delete(tags + "/v2"), 404, "NOT_FOUND");
    }

    @Test
    void deletingAnArtifactByTagDeletesItAsV2DoesByDigest() {
        String p = unique("delart");
        admin().createProject(p, false);
        String name = p + "/app";
        String digest = admin().push(name, "v1", TestImage.simple(p));
        admin().push(name, "keep", TestImage.simple(p + " keep"));

        assertHarborError(http().as(user(p, TestAccounts.ROLE_DEVELOPER)).delete(repositoryPath(name) + "/artifacts/v1"), 403, "FORBIDDEN");
        http().as(user(p, TestAccounts.ROLE_MAINTAINER)).delete(repositoryPath(name) + "/artifacts/v1").expect(200);
        assertThat(admin().getManifest(name, digest).status()).isEqualTo(404);
        assertHarborError(admin().get(repositoryPath(name) + "/artifacts/" + digest), 404, "NOT_FOUND");
        assertThat(admin().get(repositoryPath(name)).json().path("artifact_count").asLong()).isEqualTo(1);
    }

    @Test
    void anIndexIsCopiedWithItsChildrenBetweenProjectsByLinkingBlobs() {
        String source = unique("src");
        String target = unique("dst");
        admin().createProject(source, false);
        admin().createProject(target, false);
        Map<Platform, TestImage> images = new LinkedHashMap<>();
        images.put(Platform.of("linux", "amd64"), TestImage.create(TestImage.Format.OCI, source + " amd64"));
        images.put(Platform.of("linux", "arm64"), TestImage.create(TestImage.Format.OCI, source + " arm64"));
        TestImage.Blob index = pushIndex(source + "/app", "1.0", images);

        // push in the target but no pull on the source: refused
        Credentials developer = user(target, TestAccounts.ROLE_DEVELOPER);
        String copy = repositoryPath(target + "/copied/app") + "/artifacts?from=" + source + "/app@" + index.digest();
        assertHarborError(http().as(developer).post(copy, null), 403, "FORBIDDEN");
        assertHarborError(http().post(copy, null), 401, "UNAUTHORIZED");
        admin().addMember(source, developer.label(), TestAccounts.ROLE_GUEST);
        Response copied = http().as(developer).post(copy, null).expect(201);
        assertThat(copied.header("Location").orElse("")).endsWith("/artifacts/" + index.digest());

        JsonNode artifact = admin().get(repositoryPath(target + "/copied/app") + "/artifacts/" + index.digest()).expect(200).json();
        assertThat(artifact.path("references").size()).isEqualTo(2);
        assertThat(artifact.path("tags").path(0).path("name").asString()).isEqualTo("1.0");
        for (TestImage image : images.values()) {
            admin().getManifest(target + "/copied/app", image.manifestDigest()).expect(200);
            admin().getBlob(target + "/copied/app", image.layerDigest()).expect(200);
        }
        assertHarborError(http().as(developer).post(copy, null), 409, "CONFLICT");
        assertHarborError(admin().post(repositoryPath(target + "/app") + "/artifacts?from=nonsense", null), 400, "BAD_REQUEST");
        assertHarborError(admin().post(repositoryPath(target + "/app") + "/artifacts?from=" + source + "/app:nope", null), 404,
            "NOT_FOUND");

        // copied by tag into another repository of the target project
        admin().post(repositoryPath(target + "/other") + "/artifacts?from=" + source + "/app:1.0", null).expect(201);
        admin().getManifest(target + "/other", "1.0").expect(200);
    }

    @Test
    void anArtifactAnIndexListsIsNotDeletedUntilTheIndexIs() {
        String p = unique("refd");
        admin().createProject(p, false);
        String name = p + "/multi";
        Map<Platform, TestImage> images = new LinkedHashMap<>();
        images.put(Platform.of("linux", "amd64"), TestImage.simple(p + " amd64"));
        images.put(Platform.of("linux", "arm64"), TestImage.simple(p + " arm64"));
        TestImage.Blob index = pushIndex(name, "latest", images);
        String child = images.get(Platform.of("linux", "amd64")).manifestDigest();
        admin().post(repositoryPath(name) + "/artifacts/" + child + "/tags", "{\"name\":\"amd64\"}").expect(201);

        // as Harbor: 412 with its code, naming the index; by digest or by tag, nothing is deleted
        for (String reference : List.of(child, "amd64")) {
            Response refused = admin().delete(repositoryPath(name) + "/artifacts/" + reference);
            assertHarborError(refused, 412, "VIOLATE_FOREIGN_KEY_CONSTRAINT");
            assertThat(refused.json().path("errors").path(0).path("message").asString()).contains(index.digest());
        }
        admin().getManifest(name, child).expect(200);
        admin().getManifest(name, "amd64").expect(200);
        admin().get(repositoryPath(name) + "/artifacts/" + child).expect(200);

        // /v2 keeps the registry's behaviour, which the distribution spec's conformance tests rely on
        String other = images.get(Platform.of("linux", "arm64")).manifestDigest();
        assertThat(admin().deleteManifest(name, other).status()).isEqualTo(202);

        admin().delete(repositoryPath(name) + "/artifacts/latest").expect(200);
        admin().delete(repositoryPath(name) + "/artifacts/" + child).expect(200);
        assertThat(admin().getManifest(name, child).status()).isEqualTo(404);
        assertThat(admin().getManifest(name, "amd64").status()).isEqualTo(404);
    }

    /** Creates the repository's project and pushes three images tagged v1, v2, v3 in that order; returns their digests. */
    private List<String> pushThree(String name) {
        String project = name.substring(0, name.indexOf('/'));
        admin().createProject(project, false);
        return List.of(1, 2, 3).stream().map(i -> admin().push(name, "v" + i, TestImage.simple(project + " " + i))).toList();
    }

    /** Pushes each image by digest, then an OCI index of them under {@code tag}; returns the index. */
    private TestImage.Blob pushIndex(String name, String tag, Map<Platform, TestImage> images) {
        images.values().forEach(image -> admin().push(name, image.manifestDigest(), image));
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, images);
        admin().pushManifest(name, tag, index.mediaType(), index.content());
        return index;
    }
}
