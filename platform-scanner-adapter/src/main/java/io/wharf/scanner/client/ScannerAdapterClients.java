package io.wharf.scanner.client;

import org.springframework.stereotype.Component;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * Makes {@link ScannerAdapterClient}s. Two HTTP clients are shared by all adapters: one that
 * verifies TLS certificates and one, used only for registrations with {@code skip_certVerify}, that
 * trusts any certificate and host name. Neither follows redirects.
 *
 * <p>The trust-all context repeats replication's ({@code UpstreamClients}): the modules stay apart,
 * and it is too small to move into core on its own.
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
            builder.sslContext(trustAllContext());
        }
        return builder.build();
    }

    /** Trusts every certificate and, being an extended trust manager, skips the host-name check too. */
    private static SSLContext trustAllContext() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }
}
