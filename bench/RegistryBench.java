// Registry benchmark client: OCI distribution API over plain HTTP, java.net.http only.
// Run with a JDK 17+ as a single-file program:
//   java bench/RegistryBench.java --url http://127.0.0.1:5000 [--label NAME] [--concurrency 1,8,32]
//        [--seconds 4] [--warmup 3] [--small-size 4096] [--large-mib 512] [--out results.tsv] [--pid SERVER_PID]
//        [--ops push_small_blob,push_chunked_blob,put_manifest,get_small_blob,head_blob,get_manifest_by_tag,docker_pull,large_blob]
//        [--auth token|basic|none] [--smoke] [--nginx-fixtures DIR]
//   java bench/RegistryBench.java --table results.tsv [more.tsv ...] [--subject wharf-pg]
//        (markdown table, one column per label, then the ratios against docker-registry and nginx)
// Credentials come from BENCH_BASIC=user:password. Every loop is bounded by a deadline and an
// operation cap; the client only talks to the URL it is given and to the token realm that URL names.
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class RegistryBench {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    /** The manifest types a docker pull accepts, one Accept header each (as the docker daemon sends them). */
    static final List<String> PULL_ACCEPT = List.of(DOCKER_MANIFEST_LIST, OCI_INDEX, DOCKER_MANIFEST, OCI_MANIFEST);
    /** Hard cap on operations per worker and phase, whatever the duration. */
    static final int MAX_OPS_PER_WORKER = 200_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final List<String> ALL_OPS = List.of("push_small_blob", "push_chunked_blob", "put_manifest", "get_small_blob",
        "head_blob", "get_manifest_by_tag", "docker_pull", "large_blob");
    /** The operations a static file server (nginx on --nginx-fixtures) can answer. */
    static final Set<String> READ_OPS = Set.of("get_small_blob", "head_blob", "large_blob");
    static final int HOT_BLOBS = 64;
    static final int PULL_LAYERS = 3;
    static final String PULL_TAG = "pull";

    final URI base;
    final String label;
    final String repo;
    final int[] concurrency;
    final double seconds;
    final int smallSize;
    final long largeBytes;
    final Path out;
    /** The server's PID when it runs on this machine: its CPU time per operation is then reported. */
    final long serverPid;
    /** Which phases run (--ops, comma-separated); all by default. */
    final List<String> ops;
    final double warmupSeconds;
    /** --smoke: every worker runs each operation at least once, and any error makes the exit status 1. */
    final boolean smoke;
    /** --nginx-fixtures: fixtures are written as files into this directory instead of being pushed. */
    final Path nginxFixtures;
    final Auth auth;
    final HttpClient http;
    /** Runs the parallel blob GETs of docker_pull (daemon threads, created as needed). */
    final ExecutorService fanOut = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pull");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong unique = new AtomicLong();
    final AtomicLong errorsTotal = new AtomicLong();
    final String runId = Long.toHexString(System.nanoTime() ^ new Random().nextLong());

    // fixtures for the pull phases
    final List<String> hotBlobs = new ArrayList<>();
    String manifestTag = "hot";
    /** The token for the run's repository (pull and push), reused until shortly before it expires. */
    Grant repoGrant;

    RegistryBench(Map<String, String> opts) {
        String url = opts.get("url");
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        smoke = opts.containsKey("smoke");
        base = URI.create(url.endsWith("/") ? url : url + "/");
        label = opts.getOrDefault("label", base.getAuthority());
        repo = opts.getOrDefault("repo", "bench/r" + runId.substring(0, 6));
        concurrency = Arrays.stream(opts.getOrDefault("concurrency", smoke ? "1,2" : "1,8,32").split(","))
            .mapToInt(Integer::parseInt).toArray();
        seconds = Double.parseDouble(opts.getOrDefault("seconds", smoke ? "0.3" : "4"));
        smallSize = Integer.parseInt(opts.getOrDefault("small-size", "4096"));
        if (smallSize < 2) {
            throw new IllegalArgumentException("--small-size must be at least 2 (a chunked push sends two chunks)");
        }
        largeBytes = Long.parseLong(opts.getOrDefault("large-mib", smoke ? "1" : "512")) << 20;
        out = opts.containsKey("out") ? Path.of(opts.get("out")) : null;
        serverPid = Long.parseLong(opts.getOrDefault("pid", "0"));
        nginxFixtures = opts.containsKey("nginx-fixtures") ? Path.of(opts.get("nginx-fixtures")) : null;
        List<String> selected = List.of(opts.getOrDefault("ops", String.join(",", ALL_OPS)).split(","));
        for (String op : selected) {
            if (!ALL_OPS.contains(op)) {
                throw new IllegalArgumentException("unknown operation " + op + " (known: " + ALL_OPS + ")");
            }
        }
        ops = nginxFixtures == null ? selected : selected.stream().filter(READ_OPS::contains).toList();
        warmupSeconds = Double.parseDouble(opts.getOrDefault("warmup", smoke ? "0" : "3"));
        auth = new Auth(opts.get("auth"), System.getenv("BENCH_BASIC"));
        int maxC = Arrays.stream(concurrency).max().orElse(1);
        http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .executor(Executors.newFixedThreadPool(Math.max(2, Math.min(maxC, 8)), r -> {
                Thread t = new Thread(r, "http");
                t.setDaemon(true);
                return t;
            }))
            .build();
    }

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        Set<String> flags = Set.of("table", "smoke");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (flags.contains(key)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    System.err.println("--" + key + " needs a value");
                    System.exit(2);
                    return;
                }
                opts.put(key, value);
            } else {
                files.add(a);
            }
        }
        int status;
        try {
            if (opts.containsKey("table")) {
                System.out.print(table(files));
                System.out.print(ratios(files, opts.get("subject")));
                status = 0;
            } else {
                status = new RegistryBench(opts).run();
            }
        } catch (Exception e) {
            System.err.println("failed: " + e);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    // ---------------------------------------------------------------------------------------------
    // phases

    /** Runs the selected operations; returns the exit status (non-zero in smoke mode after any error). */
    int run() throws Exception {
        login();
        System.out.printf("# %s  %s  repo=%s  auth=%s  concurrency=%s  %.1fs/phase  small=%dB  large=%dMiB%s%s%n",
            label, base, repo, auth.mode.name().toLowerCase(Locale.ROOT), Arrays.toString(concurrency), seconds, smallSize,
            largeBytes >> 20, smoke ? "  smoke" : "", nginxFixtures == null ? "" : "  fixtures as files in " + nginxFixtures);
        if (nginxFixtures != null) {
            writeFileFixtures();
        } else {
            setupFixtures();
        }

        Map<String, Op> table = new LinkedHashMap<>();
        table.put("push_small_blob", w -> pushSmall());
        table.put("push_chunked_blob", w -> pushChunked());
        table.put("put_manifest", w -> putManifest());
        table.put("get_small_blob", w -> getBlob());
        table.put("head_blob", w -> headBlob());
        table.put("get_manifest_by_tag", w -> getManifest());
        table.put("docker_pull", w -> dockerPull());
        // Warm-up (not recorded): lets a JIT compile the hot paths before anything is measured.
        int warmC = Math.min(8, Arrays.stream(concurrency).max().orElse(1));
        for (Map.Entry<String, Op> e : table.entrySet()) {
            if (ops.contains(e.getKey()) && warmupSeconds > 0) {
                phase("warmup", warmC, warmupSeconds, false, e.getValue());
            }
        }
        for (int c : concurrency) {
            for (Map.Entry<String, Op> e : table.entrySet()) {
                if (ops.contains(e.getKey())) {
                    phase(e.getKey(), c, seconds, true, e.getValue());
                }
            }
        }
        if (largeBytes > 0 && ops.contains("large_blob")) {
            large();
        }
        if (foreignSeconds > 0) {
            double pct = 100.0 * foreignTicks / Cpu.HZ / foreignSeconds / Cpu.CORES;
            System.out.printf("other processes used %.0f%% of the machine's CPU while measuring%n", pct);
            emit("other_processes_cpu", 0, "pct_of_machine", pct);
        }
        if (auth.mode == AuthMode.TOKEN) {
            System.out.printf("tokens fetched from %s: %d%n", auth.realm, auth.fetches.get());
        }
        if (smoke) {
            if (errorsTotal.get() > 0) {
                System.out.println("smoke: FAILED, " + errorsTotal.get() + " operations failed");
                return 1;
            }
            System.out.println("smoke: ok, every operation answered as expected");
        }
        return 0;
    }

    /**
     * Creates the project (with credentials, on Wharf), then checks that {@code /v2/} lets the client in
     * the way {@code --auth} says: a token from the realm of the challenge, Basic, or nothing.
     */
    void login() throws Exception {
        if (auth.basic != null && nginxFixtures == null) {
            ensureProject();
        }
        HttpResponse<Void> ping = http.send(request("v2/").GET().build(), HttpResponse.BodyHandlers.discarding());
        if (auth.mode == AuthMode.TOKEN) {
            String challenge = ping.headers().firstValue("WWW-Authenticate").orElse("");
            if (ping.statusCode() != 401 || !challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new IllegalStateException("--auth token: GET /v2/ answered " + ping.statusCode()
                    + " without a Bearer challenge (" + challenge + ")");
            }
            auth.challenge(challenge);
            repoGrant = new Grant("repository:" + repo + ":pull,push");
        }
        HttpResponse<Void> in = send(request("v2/").GET().build(), HttpResponse.BodyHandlers.discarding(), repoGrant);
        if (in.statusCode() != 200) {
            throw new IllegalStateException("GET /v2/ answered " + in.statusCode() + " with --auth "
                + auth.mode.name().toLowerCase(Locale.ROOT) + (auth.basic == null ? " (no BENCH_BASIC credentials)" : ""));
        }
    }

    void setupFixtures() throws Exception {
        for (int i = 0; i < HOT_BLOBS; i++) {
            hotBlobs.add(pushSmall());
        }
        // the manifest behind the hot tag
        putManifest(manifestTag, manifestBody(-1));
        if (ops.contains("docker_pull")) {
            setupPullImage();
        }
    }

    /** The image docker_pull pulls: a config and {@value #PULL_LAYERS} small layers, tagged {@value #PULL_TAG}. */
    void setupPullImage() throws Exception {
        List<String> layers = new ArrayList<>();
        StringBuilder layerJson = new StringBuilder();
        for (int i = 0; i < PULL_LAYERS; i++) {
            String digest = pushBlob(randomBytes(smallSize));
            layers.add(digest);
            layerJson.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(OCI_LAYER).append("\",\"digest\":\"")
                .append(digest).append("\",\"size\":").append(smallSize).append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
            + "\"diff_ids\":[\"" + String.join("\",\"", layers) + "\"]},\"bench.run\":\"" + runId + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
            + "\"layers\":[" + layerJson + "]}";
        putManifest(PULL_TAG, manifest.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * --nginx-fixtures: the small blobs (random, the push phases' size) and the large blob (the large
     * push's pattern), written as files named by digest, for a static file server to answer
     * {@code /v2/<repo>/blobs/<digest>} from.
     */
    void writeFileFixtures() throws Exception {
        Files.createDirectories(nginxFixtures);
        for (int i = 0; i < HOT_BLOBS; i++) {
            byte[] data = randomBytes(smallSize);
            String digest = sha256(data);
            Files.write(nginxFixtures.resolve(digest), data);
            hotBlobs.add(digest);
        }
        System.out.printf("wrote %d blobs of %d bytes to %s; only %s run against it%n", HOT_BLOBS, smallSize, nginxFixtures,
            ops.isEmpty() ? "no operation" : String.join(",", ops));
    }

    interface Op {
        /** One operation; returns anything, throws on an unexpected answer. */
        Object run(int worker) throws Exception;
    }

    void phase(String name, int clients, double secs, boolean record, Op op) throws Exception {
        long deadline = System.nanoTime() + (long) (secs * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        Cpu cpu0 = Cpu.sample(serverPid);
        long start = System.nanoTime();
        for (int w = 0; w < clients; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                int tries = 0;
                // in smoke mode every worker tries once even when the (short) phase is over before it starts
                while (n < MAX_OPS_PER_WORKER && (System.nanoTime() < deadline || smoke && tries == 0)) {
                    tries++;
                    long t0 = System.nanoTime();
                    try {
                        op.run(worker);
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("  " + name + ": " + e);
                        }
                        continue;
                    }
                    long t = System.nanoTime() - t0;
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> parts = new ArrayList<>();
        try {
            for (Future<long[]> f : futures) {
                parts.add(f.get((long) secs + 120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Cpu cpu = Cpu.sample(serverPid).minus(cpu0);
        long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        errorsTotal.addAndGet(errors.get());
        if (!record) {
            return;
        }
        double opsPerSec = all.length / elapsed;
        double p50 = pct(all, 0.50);
        double p99 = pct(all, 0.99);
        double serverCpuMsPerOp = all.length == 0 ? Double.NaN : cpu.server * 1000.0 / Cpu.HZ / all.length;
        System.out.printf("%-22s c=%-3d %9.0f ops/s   p50 %8.2f ms   p99 %8.2f ms   n=%d errors=%d%s%n",
            name, clients, opsPerSec, p50, p99, all.length, errors.get(), cpu.describe(serverPid, serverCpuMsPerOp, elapsed));
        emit(name, clients, "ops_s", opsPerSec);
        emit(name, clients, "p50_ms", p50);
        emit(name, clients, "p99_ms", p99);
        if (serverPid > 0) {
            emit(name, clients, "server_cpu_ms_per_op", serverCpuMsPerOp);
        }
        noteForeign(cpu, elapsed);
        if (errors.get() > 0) {
            emit(name, clients, "errors", errors.get());
        }
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    // ---------------------------------------------------------------------------------------------
    // operations

    /** Monolithic upload of a fresh random blob: POST, then PUT ?digest= with the body. */
    String pushSmall() throws Exception {
        return pushBlob(randomBytes(smallSize));
    }

    String pushBlob(byte[] data) throws Exception {
        String digest = sha256(data);
        String location = startUpload();
        HttpResponse<byte[]> put = send(request(withDigest(location, digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(put, 201, "PUT blob");
        return digest;
    }

    /**
     * Chunked upload of a fresh random blob: POST, two PATCHes of half the blob each (Content-Range,
     * and the Content-Length the client sets), then PUT ?digest= without a body; each request goes to
     * the Location of the answer before.
     */
    String pushChunked() throws Exception {
        byte[] data = randomBytes(smallSize);
        String digest = sha256(data);
        String location = startUpload();
        int half = smallSize / 2;
        location = patchChunk(location, data, 0, half);
        location = patchChunk(location, data, half, smallSize);
        HttpResponse<byte[]> put = send(request(withDigest(location, digest)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(put, 201, "PUT chunked blob");
        return digest;
    }

    /** PATCH of bytes [from, to) of the upload at {@code location}; returns the next Location. */
    String patchChunk(String location, byte[] data, int from, int to) throws Exception {
        HttpResponse<byte[]> patch = send(request(location)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(patch, 202, "PATCH chunk " + from + "-" + (to - 1));
        return patch.headers().firstValue("Location").orElseThrow(() -> new IOException("PATCH chunk: no Location"));
    }

    Object putManifest() throws Exception {
        long n = unique.incrementAndGet();
        return putManifest("t" + n, manifestBody(n));
    }

    Object putManifest(String tag, byte[] body) throws Exception {
        HttpResponse<byte[]> r = send(request("v2/" + repo + "/manifests/" + tag)
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(r, 201, "PUT manifest");
        return r;
    }

    Object getBlob() throws Exception {
        String d = hotBlobs.get(ThreadLocalRandom.current().nextInt(hotBlobs.size()));
        HttpResponse<byte[]> r = send(request("v2/" + repo + "/blobs/" + d).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(r, 200, "GET blob");
        if (r.body().length != smallSize) {
            throw new IOException("GET blob returned " + r.body().length + " bytes");
        }
        return r;
    }

    Object headBlob() throws Exception {
        String d = hotBlobs.get(ThreadLocalRandom.current().nextInt(hotBlobs.size()));
        HttpResponse<Void> r = send(request("v2/" + repo + "/blobs/" + d).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding(), repoGrant);
        expect(r, 200, "HEAD blob");
        return r;
    }

    Object getManifest() throws Exception {
        HttpResponse<byte[]> r = send(request("v2/" + repo + "/manifests/" + manifestTag)
                .header("Accept", OCI_MANIFEST).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(r, 200, "GET manifest");
        return r;
    }

    static final Pattern DESCRIPTOR = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"\\s*,\\s*\"size\"\\s*:\\s*(\\d+)");

    /**
     * What {@code docker pull} of a tag sends: a fresh token for {@code repository:<repo>:pull} (with
     * token authentication), HEAD of the manifest by tag, GET of the manifest by the digest that
     * answered (both with the Accept headers docker sends), then the config and every layer in
     * parallel, each body read fully and its size checked.
     */
    Object dockerPull() throws Exception {
        Grant grant = null;
        if (auth.mode == AuthMode.TOKEN) {
            grant = new Grant("repository:" + repo + ":pull");
            grant.current();
        }
        HttpResponse<Void> head = send(accept(request("v2/" + repo + "/manifests/" + PULL_TAG))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding(), grant);
        expect(head, 200, "HEAD manifest");
        String digest = head.headers().firstValue("Docker-Content-Digest").orElse(PULL_TAG);
        HttpResponse<byte[]> get = send(accept(request("v2/" + repo + "/manifests/" + digest)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray(), grant);
        expect(get, 200, "GET manifest");
        if (digest.startsWith("sha256:") && !digest.equals(sha256(get.body()))) {
            throw new IOException("GET manifest: the body does not match " + digest);
        }
        List<Future<Long>> blobs = new ArrayList<>();
        Matcher m = DESCRIPTOR.matcher(new String(get.body(), StandardCharsets.UTF_8));
        Grant pullGrant = grant;
        String first = null;
        long firstSize = 0;
        while (m.find()) {
            String blob = m.group(1);
            long size = Long.parseLong(m.group(2));
            if (first == null) {
                first = blob;
                firstSize = size;
            } else {
                blobs.add(fanOut.submit(() -> pullBlob(blob, size, pullGrant)));
            }
        }
        if (first == null || blobs.size() != PULL_LAYERS) {
            throw new IOException("GET manifest: expected a config and " + PULL_LAYERS + " layers");
        }
        pullBlob(first, firstSize, grant);
        for (Future<Long> f : blobs) {
            try {
                f.get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return get;
    }

    HttpRequest.Builder accept(HttpRequest.Builder builder) {
        PULL_ACCEPT.forEach(type -> builder.header("Accept", type));
        return builder;
    }

    long pullBlob(String digest, long size, Grant grant) throws Exception {
        HttpResponse<InputStream> r = send(request("v2/" + repo + "/blobs/" + digest).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream(), grant);
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("GET blob " + digest + ": HTTP " + r.statusCode());
        }
        long read = drain(r.body());
        if (read != size) {
            throw new IOException("GET blob " + digest + " returned " + read + " bytes, the manifest says " + size);
        }
        return read;
    }

    /**
     * One large blob: POST, one streamed PATCH (Content-Length known, no Content-Range), PUT ?digest=;
     * then GET it back. With --nginx-fixtures the blob is written as a file instead (not measured).
     */
    void large() throws Exception {
        byte[] pattern = new byte[1 << 20];
        new Random(42).nextBytes(pattern);
        byte[] salt = runId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(salt, 0, pattern, 0, salt.length);
        AtomicReference<MessageDigest> sha = new AtomicReference<>();
        Supplier<InputStream> body = () -> {
            MessageDigest d = newSha256();
            sha.set(d);
            return new PatternStream(pattern, largeBytes, d);
        };
        String digest;
        if (nginxFixtures != null) {
            Path partial = nginxFixtures.resolve("large.partial");
            try (InputStream in = body.get()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            digest = "sha256:" + HexFormat.of().formatHex(sha.get().digest());
            Files.move(partial, nginxFixtures.resolve(digest), StandardCopyOption.REPLACE_EXISTING);
            System.out.printf("wrote the large blob (%d MiB) to %s%n", largeBytes >> 20, nginxFixtures);
        } else {
            digest = pushLarge(body, sha);
        }

        Cpu cpu0 = Cpu.sample(serverPid);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> get = send(request("v2/" + repo + "/blobs/" + digest).timeout(Duration.ofMinutes(10)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream(), repoGrant);
        if (get.statusCode() != 200) {
            get.body().close();
            throw new IOException("GET large blob: HTTP " + get.statusCode());
        }
        long read = drain(get.body());
        double pull = (System.nanoTime() - t0) / 1e9;
        if (read != largeBytes) {
            throw new IOException("GET large blob returned " + read + " bytes");
        }
        double pullMBs = largeBytes / 1e6 / pull;
        Cpu cpu = Cpu.sample(serverPid).minus(cpu0);
        System.out.printf("%-22s c=1   %9.1f MB/s   (%d MiB in %.2f s)%s%n", "get_large_blob", pullMBs, largeBytes >> 20, pull,
            cpu.describeBulk(serverPid, largeBytes, pull));
        emit("get_large_blob", 1, "MB_s", pullMBs);
        if (serverPid > 0) {
            emit("get_large_blob", 1, "server_cpu_s_per_GB", cpu.server / (double) Cpu.HZ / (largeBytes / 1e9));
        }
        noteForeign(cpu, pull);
    }

    String pushLarge(Supplier<InputStream> body, AtomicReference<MessageDigest> sha) throws Exception {
        Cpu cpu0 = Cpu.sample(serverPid);
        long t0 = System.nanoTime();
        String location = startUpload();
        HttpResponse<byte[]> patch = send(request(location)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(10))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(body), largeBytes)).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(patch, 202, "PATCH large blob");
        String digest = "sha256:" + HexFormat.of().formatHex(sha.get().digest());
        String next = patch.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = send(request(withDigest(next, digest)).timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(put, 201, "PUT large blob");
        double push = (System.nanoTime() - t0) / 1e9;
        double pushMBs = largeBytes / 1e6 / push;
        Cpu cpu = Cpu.sample(serverPid).minus(cpu0);
        System.out.printf("%-22s c=1   %9.1f MB/s   (%d MiB in %.2f s)%s%n", "push_large_blob", pushMBs, largeBytes >> 20, push,
            cpu.describeBulk(serverPid, largeBytes, push));
        emit("push_large_blob", 1, "MB_s", pushMBs);
        if (serverPid > 0) {
            emit("push_large_blob", 1, "server_cpu_s_per_GB", cpu.server / (double) Cpu.HZ / (largeBytes / 1e9));
        }
        noteForeign(cpu, push);
        return digest;
    }

    long foreignTicks;
    double foreignSeconds;

    /** Accumulates the CPU that neither the server nor this client used (other work on the machine). */
    void noteForeign(Cpu cpu, double seconds) {
        if (cpu.valid()) {
            foreignTicks += cpu.foreign();
            foreignSeconds += seconds;
        }
    }

    /**
     * CPU ticks (USER_HZ, 100 on Linux) from /proc: the server's, this client's, and the whole machine's
     * busy time. All -1 where /proc is not there.
     */
    record Cpu(long server, long self, long machine) {
        static final int HZ = 100;
        static final int CORES = Runtime.getRuntime().availableProcessors();

        static Cpu sample(long pid) {
            try {
                String[] m = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                    busy += Long.parseLong(m[i]);
                }
                return new Cpu(pid > 0 ? ticks("/proc/" + pid + "/stat") : 0, ticks("/proc/self/stat"), busy);
            } catch (Exception e) {
                return new Cpu(-1, -1, -1);
            }
        }

        private static long ticks(String statFile) throws IOException {
            String stat = Files.readString(Path.of(statFile));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime stime (fields 14 and 15)
        }

        boolean valid() {
            return machine >= 0;
        }

        Cpu minus(Cpu before) {
            return valid() && before.valid() ? new Cpu(server - before.server, self - before.self, machine - before.machine)
                : new Cpu(-1, -1, -1);
        }

        long foreign() {
            return Math.max(0, machine - server - self);
        }

        String describe(long pid, double serverMsPerOp, double seconds) {
            if (!valid()) {
                return "";
            }
            return (pid > 0 ? String.format("   server %.2f cpu-ms/op", serverMsPerOp) : "")
                + String.format("   client %.0f%% other %.0f%% of %d cores", 100.0 * self / HZ / seconds / CORES,
                100.0 * foreign() / HZ / seconds / CORES, CORES);
        }

        String describeBulk(long pid, long bytes, double seconds) {
            if (!valid()) {
                return "";
            }
            return (pid > 0 ? String.format("   server %.2f cpu-s/GB", server / (double) HZ / (bytes / 1e9)) : "")
                + String.format("   client %.0f%% other %.0f%%", 100.0 * self / HZ / seconds / CORES,
                100.0 * foreign() / HZ / seconds / CORES);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // authentication, as registry clients do it

    enum AuthMode { NONE, BASIC, TOKEN }

    /**
     * How requests are authorized: {@code --auth token} (the default with credentials) answers the
     * {@code WWW-Authenticate: Bearer realm=..,service=..} challenge of {@code /v2/} with a token from
     * the realm, fetched with the Basic credentials; {@code --auth basic} sends Basic credentials with
     * every request; {@code none} (the default without credentials) sends nothing.
     */
    static final class Auth {
        final AuthMode mode;
        /** {@code Basic ...} from {@code BENCH_BASIC=user:password}, or null. */
        final String basic;
        volatile String realm;
        volatile String service;
        final AtomicLong fetches = new AtomicLong();

        Auth(String requested, String credentials) {
            basic = credentials == null || credentials.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            String m = requested != null ? requested : basic != null ? "token" : "none";
            mode = AuthMode.valueOf(m.toUpperCase(Locale.ROOT));
            if (mode == AuthMode.BASIC && basic == null) {
                throw new IllegalArgumentException("--auth basic needs BENCH_BASIC=user:password");
            }
        }

        static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

        void challenge(String header) {
            Matcher m = PARAM.matcher(header);
            while (m.find()) {
                switch (m.group(1)) {
                    case "realm" -> realm = m.group(2);
                    case "service" -> service = m.group(2);
                    default -> { }
                }
            }
            if (realm == null) {
                throw new IllegalStateException("no realm in the challenge " + header);
            }
        }
    }

    static final Pattern TOKEN = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

    /**
     * A bearer token for one scope: fetched when first needed, reused until shortly before it expires
     * ({@code expires_in}, 60 s when the realm does not say), and fetched again once after a 401.
     */
    final class Grant {
        final String scope;
        private String token;
        private long renewAt;

        Grant(String scope) {
            this.scope = scope;
        }

        synchronized String current() throws Exception {
            if (token == null || System.nanoTime() - renewAt >= 0) {
                fetch();
            }
            return token;
        }

        /** After a 401 with {@code used}: a new token, unless another request has already fetched one. */
        synchronized String renew(String used) throws Exception {
            if (used.equals(token)) {
                fetch();
            }
            return token;
        }

        private void fetch() throws Exception {
            long asked = System.nanoTime();
            String realm = auth.realm;
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?")
                + (auth.service == null ? "" : "service=" + URLEncoder.encode(auth.service, StandardCharsets.UTF_8) + "&")
                + "scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
            if (auth.basic != null) {
                builder.header("Authorization", auth.basic);
            }
            HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            auth.fetches.incrementAndGet();
            if (r.statusCode() != 200) {
                throw new IOException("token " + scope + ": HTTP " + r.statusCode() + " " + r.body());
            }
            Matcher t = TOKEN.matcher(r.body());
            if (!t.find()) {
                throw new IOException("token " + scope + ": no token in " + r.body());
            }
            Matcher e = EXPIRES_IN.matcher(r.body());
            long lifetime = e.find() ? Long.parseLong(e.group(1)) : 60;
            // renew shortly before it expires: a tenth of its lifetime early, at most 30 s early
            double margin = Math.min(30, lifetime / 10.0);
            token = t.group(1);
            renewAt = asked + (long) ((lifetime - margin) * 1e9);
        }
    }

    /**
     * Sends {@code request} with the authorization of the mode: Basic, or a Bearer token of
     * {@code grant}; after a 401 to a token, fetches a new one once and sends the request again (as
     * docker and containerd do). A retried body must be replayable (byte arrays, input stream suppliers).
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, Grant grant) throws Exception {
        switch (auth.mode) {
            case NONE:
                return http.send(request, handler);
            case BASIC:
                return http.send(authorized(request, auth.basic), handler);
            default:
                if (grant == null) {
                    throw new IllegalStateException("no token scope for " + request.uri());
                }
                String token = grant.current();
                HttpResponse<T> r = http.send(authorized(request, "Bearer " + token), handler);
                if (r.statusCode() != 401) {
                    return r;
                }
                if (r.body() instanceof InputStream in) {
                    in.close();
                }
                return http.send(authorized(request, "Bearer " + grant.renew(token)), handler);
        }
    }

    static HttpRequest authorized(HttpRequest request, String authorization) {
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
            .header("Authorization", authorization).build();
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    HttpRequest.Builder request(String pathOrLocation) {
        return HttpRequest.newBuilder(base.resolve(pathOrLocation)).timeout(REQUEST_TIMEOUT);
    }

    String startUpload() throws Exception {
        HttpResponse<byte[]> post = send(request("v2/" + repo + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray(), repoGrant);
        expect(post, 202, "POST upload");
        return post.headers().firstValue("Location").orElseThrow(() -> new IOException("POST upload: no Location"));
    }

    byte[] manifestBody(long n) {
        String config = hotBlobs.get(0);
        String layer = hotBlobs.get(1);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":" + smallSize + "},"
            + "\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + layer + "\",\"size\":" + smallSize + "}],"
            + "\"annotations\":{\"bench.run\":\"" + runId + "\",\"bench.n\":\"" + n + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * With credentials, creates the repository's project through Wharf's Harbor-shaped API (Basic; a
     * 409 means it exists). Other registries have no such API: their answer is only noted.
     */
    void ensureProject() throws Exception {
        String project = repo.contains("/") ? repo.substring(0, repo.indexOf('/')) : repo;
        HttpResponse<String> r = http.send(authorized(request("api/v2.0/projects").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"project_name\":\"" + project + "\",\"public\":false}")).build(),
                auth.basic),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            System.out.println("note: creating project " + project + " answered HTTP " + r.statusCode());
        }
    }

    static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest.replace(":", "%3A");
    }

    static void expect(HttpResponse<?> r, int status, String what) throws IOException {
        if (r.statusCode() != status) {
            Object body = r.body();
            String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
            throw new IOException(what + ": HTTP " + r.statusCode() + " " + text);
        }
    }

    static long drain(InputStream body) throws IOException {
        long read = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = body) {
            for (int k; (k = in.read(buf)) > 0; ) {
                read += k;
            }
        }
        return read;
    }

    static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(data));
    }

    void emit(String metric, int clients, String unit, double value) throws IOException {
        if (out == null) {
            return;
        }
        String line = String.join("\t", label, metric, String.valueOf(clients), unit, String.format(Locale.ROOT, "%.3f", value)) + "\n";
        Files.writeString(out, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** {@code size} bytes of a repeated pattern, hashed as they are read. */
    static final class PatternStream extends InputStream {
        private final byte[] pattern;
        private final long size;
        private final MessageDigest sha;
        private long pos;

        PatternStream(byte[] pattern, long size, MessageDigest sha) {
            this.pattern = pattern;
            this.size = size;
            this.sha = sha;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int p = (int) (pos % pattern.length);
            int n = (int) Math.min(Math.min(len, pattern.length - p), size - pos);
            System.arraycopy(pattern, p, b, off, n);
            sha.update(b, off, n);
            pos += n;
            return n;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // --table: results.tsv lines (label, metric, clients, unit, value) -> markdown, one column per label

    /** label -> "metric | clients | unit" -> value, in the order the files list them. */
    static Map<String, Map<String, Double>> read(List<String> files) throws IOException {
        Map<String, Map<String, Double>> byLabel = new LinkedHashMap<>();
        for (String f : files) {
            for (String line : Files.readAllLines(Path.of(f))) {
                String[] c = line.split("\t");
                if (c.length != 5) {
                    continue;
                }
                byLabel.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(c[1] + " | " + c[2] + " | " + c[3], Double.parseDouble(c[4]));
            }
        }
        return byLabel;
    }

    static String shown(double v) {
        return Double.isNaN(v) ? "" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
            : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String table(List<String> files) throws IOException {
        Map<String, Map<String, Double>> byLabel = read(files);
        List<String> keys = new ArrayList<>();
        byLabel.values().forEach(rows -> rows.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add));
        List<String> labels = new ArrayList<>(byLabel.keySet());
        StringBuilder sb = new StringBuilder("| operation | clients | unit |");
        labels.forEach(l -> sb.append(' ').append(l).append(" |"));
        sb.append("\n|---|---:|---|");
        labels.forEach(l -> sb.append("---:|"));
        sb.append('\n');
        for (String key : keys) {
            sb.append("| ").append(key).append(" |");
            labels.forEach(l -> {
                Double v = byLabel.get(l).get(key);
                sb.append(' ').append(v == null ? "" : shown(v)).append(" |");
            });
            sb.append('\n');
        }
        return sb.toString();
    }

    static final String BASELINE = "docker-registry";
    static final String STATIC = "nginx";

    /** Issue 13's target for {@code subject / docker-registry} of an operation. */
    static double target(String op) {
        return switch (op) {
            case "get_manifest_by_tag", "head_blob" -> 3.0;
            case "push_small_blob", "push_chunked_blob" -> 1.5;
            case "docker_pull" -> 2.0;
            default -> 1.2;
        };
    }

    /**
     * The ratios issue 13 sets targets for: for each operation and client count, the subject's
     * (wharf-pg, else wharf) ops/s or MB/s over docker-registry's, and for blob pulls over nginx's;
     * then start-up time, resident memory and errors at the highest client count.
     */
    static String ratios(List<String> files, String subjectOption) throws IOException {
        Map<String, Map<String, Double>> byLabel = read(files);
        String subject = subjectOption != null ? subjectOption : byLabel.containsKey("wharf-pg") ? "wharf-pg"
            : byLabel.containsKey("wharf") ? "wharf" : null;
        if (subject == null || !byLabel.containsKey(subject)) {
            return "";
        }
        Map<String, Double> s = byLabel.get(subject);
        StringBuilder sb = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, Double> e : s.entrySet()) {
            String[] k = e.getKey().split(" \\| ");
            if (!k[2].equals("ops_s") && !k[2].equals("MB_s")) {
                continue;
            }
            Double other = byLabel.getOrDefault(BASELINE, Map.of()).get(e.getKey());
            if (other != null) {
                rows.append(ratioRow(k, e.getValue(), BASELINE, other, target(k[0])));
            }
            Double nginx = byLabel.getOrDefault(STATIC, Map.of()).get(e.getKey());
            if (nginx != null && (k[0].equals("get_small_blob") || k[0].equals("get_large_blob"))) {
                rows.append(ratioRow(k, e.getValue(), STATIC, nginx, 0.9));
            }
        }
        if (rows.length() > 0) {
            sb.append("\n### Ratios: ").append(subject).append(" against ").append(BASELINE).append(" and ").append(STATIC)
                .append(" (issue 13 targets)\n\n| operation | clients | unit | ").append(subject)
                .append(" | against | other | ratio | target | |\n|---|---:|---|---:|---|---:|---:|---:|---|\n").append(rows);
        }
        StringBuilder absolute = new StringBuilder();
        for (String l : List.of("wharf", "wharf-pg")) {
            Map<String, Double> r = byLabel.get(l);
            if (r == null) {
                continue;
            }
            Double start = r.get("start_to_first_answer_s | 0 | s");
            if (start != null) {
                // the start-up target is for the embedded default (the wharf target)
                absolute.append(absoluteRow("start to first answer on /v2/", l, shown(start) + " s", "<= 6 s (embedded default)",
                    l.equals("wharf") ? (start <= 6 ? "met" : "NOT met") : "n/a"));
            }
            for (String[] rss : new String[][] {{"server_rss_after_start | 0 | MiB", "resident memory idle (after start)"},
                {"server_peak_rss_VmHWM | 0 | MiB", "resident memory peak (VmHWM)"}}) {
                Double v = r.get(rss[0]);
                if (v != null) {
                    absolute.append(absoluteRow(rss[1], l, shown(v) + " MiB", "<= 512 MiB", v <= 512 ? "met" : "NOT met"));
                }
            }
            int top = r.keySet().stream().filter(k -> k.endsWith(" | ops_s")).mapToInt(k -> Integer.parseInt(k.split(" \\| ")[1]))
                .max().orElse(0);
            if (top > 0) {
                double errors = r.entrySet().stream().filter(e -> e.getKey().endsWith(" | " + top + " | errors"))
                    .mapToDouble(Map.Entry::getValue).sum();
                absolute.append(absoluteRow("errors at " + top + " clients", l, String.valueOf((long) errors), "0 (at 32 clients)",
                    errors == 0 ? "met" : "NOT met"));
            }
        }
        if (absolute.length() > 0) {
            sb.append("\n| figure | target name | value | issue 13 target | |\n|---|---|---:|---|---|\n").append(absolute);
        }
        return sb.toString();
    }

    static String ratioRow(String[] key, double subject, String against, double other, double target) {
        double ratio = other > 0 ? subject / other : Double.NaN;
        return "| " + key[0] + " | " + key[1] + " | " + key[2] + " | " + shown(subject) + " | " + against + " | " + shown(other)
            + " | " + String.format(Locale.ROOT, "%.2fx", ratio) + " | >= " + target + "x | "
            + (ratio >= target ? "met" : "NOT met") + " |\n";
    }

    static String absoluteRow(String figure, String label, String value, String target, String met) {
        return "| " + figure + " | " + label + " | " + value + " | " + target + " | " + met + " |\n";
    }
}
