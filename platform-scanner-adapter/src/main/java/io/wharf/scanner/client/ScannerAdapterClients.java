package io.wharf.scanner.client;

import io.wharf.core.crypto.InsecureTls;
import org.springframework.stereotype.Component;

import java.net.http.HttpClient;

/**
 * Makes {@link ScannerAdapterClient}s. Two HTTP clients are shared by all adapters: one that
 * verifies TLS certificates and one, used only for registrations with {@code skip_certVerify}, that
 * trusts any certificate and host name. Neither follows redirects.
 * The trust-all context is core's {@code crypto.InsecureTls}, shared with replication and webhooks.
 */
@Component
public class ScannerAdapterClients {

    private final ScannerProperties properties;
    private final HttpClient verifying;
    private final HttpClient trustingAll;

    public ScannerAdapterClients(ScannerProperties properties) {
        this.properties = properties;
        this.verifying = httpClient(false);
        this.trustingAll = httpClient(true);
    }

    /** A client for the adapter at {@code endpoint}. */
    public ScannerAdapterClient client(AdapterEndpoint endpoint) {
        return new ScannerAdapterClient(endpoint.skipCertVerify() ? trustingAll : verifying, endpoint, properties);
    }

    private HttpClient httpClient(boolean trustAll) {
        HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
        if (trustAll) {
            builder.sslContext(InsecureTls.trustingEveryCertificate());
        }
        return builder.build();
    }
}
