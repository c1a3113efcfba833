package io.wharf.testkit;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3-compatible HTTP server for tests: s3proxy embedded in the test JVM on a free port of
 * 127.0.0.1, checking AWS v2/v4 signatures, keeping objects in a directory. No Docker needed.
 * It can be told to fail the next listings with a 500, as a store under strain does now and then.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The access key the server accepts. */
    public static final String ACCESS_KEY = "wharf-access";
    /** The secret key the server accepts. */
    public static final String SECRET_KEY = "wharf-secret-key";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final AtomicInteger failingListings;

    private S3ProxyServer(BlobStoreContext context, S3Proxy proxy, AtomicInteger failingListings) {
        this.context = context;
        this.proxy = proxy;
        this.failingListings = failingListings;
    }

    /** Starts a server that stores its objects under {@code directory}. */
    public static S3ProxyServer start(Path directory) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
        AtomicInteger failingListings = new AtomicInteger();
        BlobStore faulty = new ForwardingBlobStore(context.getBlobStore()) {
            @Override
            public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
                if (failingListings.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new RuntimeException("a listing failed on purpose (S3ProxyServer.failListings)");
                }
                return super.list(container, options);
            }
        };
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(faulty)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
        proxy.start();
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        return new S3ProxyServer(context, proxy, failingListings);
    }

    /** The endpoint URL, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The next {@code count} object listings answer 500 (the server's error page, not S3's XML). */
    public void failListings(int count) {
        failingListings.set(count);
    }

    /** The backing store, to look behind the S3 API in assertions. */
    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
