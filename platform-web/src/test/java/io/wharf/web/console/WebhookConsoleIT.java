package io.wharf.web.console;

import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.webhook.WebhookReceiver;
import io.wharf.web.PlatformApplication;
import io.wharf.webhook.delivery.WebhookDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project's Webhooks page, without a browser: linked from the project page for those who may read
 * it; a project administrator creates a policy with the form, sends a test event with the test
 * button, and sees the latest deliveries; a developer gets the 403 page.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookConsoleIT {

    static final WebhookReceiver RECEIVER = WebhookReceiver.start();

    @LocalServerPort
    int port;

    @Autowired
    WebhookDispatcher dispatcher;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "webhook-console");
        registry.add("wharf.webhook.poll-interval", () -> "1h");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void projectAdministratorsCreateTestAndFollowWebhooks() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String project = "hooks" + suffix;
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createProject(project, false);
        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);

        assertThat(browser.get(port, "/projects/" + project).body()).contains("id=\"project-webhooks\"");
        String page = browser.get(port, "/projects/" + project + "/webhooks").body();
        assertThat(page).contains("id=\"no-policies\"").contains("id=\"create-webhook\"").contains("id=\"test-webhook\"")
            .contains("id=\"no-deliveries\"");

        String address = RECEIVER.url("/" + project).toString();
        String form = "address=" + RegistryClient.encode(address) + "&auth_header=" + RegistryClient.encode("Bearer console") + "&payload_format=Default"
            + "&_csrf=" + RegistryClient.encode(ConsoleBrowser.csrf(page));
        HttpResponse<String> tested = browser.postForm(port, "/projects/" + project + "/webhooks/test", form);
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(302);
        assertThat(browser.get(port, "/projects/" + project + "/webhooks").body()).contains("accepted the test event");
        assertThat(RECEIVER.received("/" + project)).hasSize(1);
        assertThat(RECEIVER.received("/" + project).get(0).header("Authorization")).isEqualTo("Bearer console");

        HttpResponse<String> created = browser.postForm(port, "/projects/" + project + "/webhooks",
            form + "&policy=ci&event_types=PUSH_ARTIFACT");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        admin.push(project + "/app", "1", TestImage.simple(project));
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);

        String after = browser.get(port, "/projects/" + project + "/webhooks").body();
        assertThat(after).contains("data-policy=\"ci\"").contains(address).contains("PUSH_ARTIFACT").contains("Webhook ci created.");
        assertThat(after).contains("id=\"delivery-list\"").contains("Success").contains("HTTP 200");

        String developer = "dev" + suffix;
        admin.createUser(developer, TestAccounts.USER_PASSWORD);
        admin.addMember(project, developer, 2);
        ConsoleBrowser other = new ConsoleBrowser();
        other.login(port, developer, TestAccounts.USER_PASSWORD);
        assertThat(other.get(port, "/projects/" + project).body()).doesNotContain("id=\"project-webhooks\"");
        assertThat(other.get(port, "/projects/" + project + "/webhooks").statusCode()).isEqualTo(403);
    }
}
