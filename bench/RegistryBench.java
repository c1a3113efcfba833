// Registry benchmark client: OCI distribution API over plain HTTP, java.net.http only.
// Run with a JDK 17+ as a single-file program:
//   java bench/RegistryBench.java --url http://127.0.0.1:5000 [--label NAME] [--concurrency 1,8,32]
//        [--seconds 4] [--warmup 3] [--small-size 4096] [--large-mib 512] [--out results.tsv] [--pid SERVER_PID]
//        [--ops push_small_blob,put_manifest,get_small_blob,head_blob,get_manifest_by_tag,large_blob]
//   java bench/RegistryBench.java --table results.tsv [more.tsv ...]   (markdown table, one column per label)
// Every loop is bounded by a deadline and an operation cap; it only talks to the URL it is given.
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class RegistryBench {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    /** Hard cap on operations per worker and phase, whatever the duration. */
    static final int MAX_OPS_PER_WORKER = 200_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

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
    static final List<String> ALL_OPS = List.of("push_small_blob", "put_manifest", "get_small_blob", "head_blob",
        "get_manifest_by_tag", "large_blob");
    final HttpClient http;
    final AtomicLong unique = new AtomicLong();
    final String runId = Long.toHexString(System.nanoTime() ^ new Random().nextLong());

    // fixtures for the pull phases
    final List<String> hotBlobs = new ArrayList<>();
    String manifestTag = "hot";

    RegistryBench(Map<String, String> opts) {
        String url = opts.get("url");
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        base = URI.create(url.endsWith("/") ? url : url + "/");
        label = opts.getOrDefault("label", base.getAuthority());
        repo = opts.getOrDefault("repo", "bench/r" + runId.substring(0, 6));
        concurrency = Arrays.stream(opts.getOrDefault("concurrency", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        seconds = Double.parseDouble(opts.getOrDefault("seconds", "4"));
        smallSize = Integer.parseInt(opts.getOrDefault("small-size", "4096"));
        largeBytes = Long.parseLong(opts.getOrDefault("large-mib", "512")) << 20;
        out = opts.containsKey("out") ? Path.of(opts.get("out")) : null;
        serverPid = Long.parseLong(opts.getOrDefault("pid", "0"));
        ops = List.of(opts.getOrDefault("ops", String.join(",", ALL_OPS)).split(","));
        warmupSeconds = Double.parseDouble(opts.getOrDefault("warmup", "3"));
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

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (key.equals("table")) {
                    value = "true";
                } else {
                    value = args[++i];
                }
                opts.put(key, value);
            } else {
                files.add(a);
            }
        }
        if (opts.containsKey("table")) {
            System.out.print(table(files));
            return;
        }
        new RegistryBench(opts).run();
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------
    // phases

    void run() throws Exception {
        ensureProject();
        HttpResponse<Void> ping = http.send(req("v2/").GET().build(), HttpResponse.BodyHandlers.discarding());
        if (ping.statusCode() != 200) {
            throw new IllegalStateException("GET /v2/ answered " + ping.statusCode() + " (authentication is not supported)");
        }
        System.out.printf("# %s  %s  repo=%s  concurrency=%s  %.1fs/phase  small=%dB  large=%dMiB%n",
            label, base, repo, Arrays.toString(concurrency), seconds, smallSize, largeBytes >> 20);
        setupFixtures();

        Map<String, Op> table = new LinkedHashMap<>();
        table.put("push_small_blob", w -> pushSmall());
        table.put("put_manifest", w -> putManifest());
        table.put("get_small_blob", w -> getBlob());
        table.put("head_blob", w -> headBlob());
        table.put("get_manifest_by_tag", w -> getManifest());
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
    }

    void setupFixtures() throws Exception {
        for (int i = 0; i < 64; i++) {
            hotBlobs.add(pushSmall());
        }
        // the manifest behind the hot tag
        putManifest(manifestTag, manifestBody(-1));
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
                while (n < MAX_OPS_PER_WORKER && System.nanoTime() < deadline) {
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
        for (Future<long[]> f : futures) {
            parts.add(f.get((long) secs + 120, TimeUnit.SECONDS));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Cpu cpu = Cpu.sample(serverPid).minus(cpu0);
        pool.shutdownNow();
        long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
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
        byte[] data = new byte[smallSize];
        ThreadLocalRandom.current().nextBytes(data);
        String digest = sha256(data);
        String location = startUpload();
        HttpResponse<Void> put = http.send(req(withDigest(location, digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
            HttpResponse.BodyHandlers.discarding());
        expect(put, 201, "PUT blob");
        return digest;
    }

    Object putManifest() throws Exception {
        long n = unique.incrementAndGet();
        return putManifest("t" + n, manifestBody(n));
    }

    Object putManifest(String tag, byte[] body) throws Exception {
        HttpResponse<Void> r = http.send(req("v2/" + repo + "/manifests/" + tag)
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        expect(r, 201, "PUT manifest");
        return r;
    }

    Object getBlob() throws Exception {
        String d = hotBlobs.get(ThreadLocalRandom.current().nextInt(hotBlobs.size()));
        HttpResponse<byte[]> r = http.send(req("v2/" + repo + "/blobs/" + d).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        expect(r, 200, "GET blob");
        if (r.body().length != smallSize) {
            throw new IOException("GET blob returned " + r.body().length + " bytes");
        }
        return r;
    }

    Object headBlob() throws Exception {
        String d = hotBlobs.get(ThreadLocalRandom.current().nextInt(hotBlobs.size()));
        HttpResponse<Void> r = http.send(req("v2/" + repo + "/blobs/" + d).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
        expect(r, 200, "HEAD blob");
        return r;
    }

    Object getManifest() throws Exception {
        HttpResponse<byte[]> r = http.send(req("v2/" + repo + "/manifests/" + manifestTag)
                .header("Accept", OCI_MANIFEST).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        expect(r, 200, "GET manifest");
        return r;
    }

    /** One large blob: POST, one streamed PATCH (Content-Length known, no Content-Range), PUT ?digest=; then GET it back. */
    void large() throws Exception {
        byte[] pattern = new byte[1 << 20];
        new Random(42).nextBytes(pattern);
        byte[] salt = runId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(salt, 0, pattern, 0, salt.length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");

        Cpu cpu0 = Cpu.sample(serverPid);
        long t0 = System.nanoTime();
        String location = startUpload();
        InputStream body = new PatternStream(pattern, largeBytes, sha);
        HttpResponse<Void> patch = http.send(req(location)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(10))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> body), largeBytes)).build(),
            HttpResponse.BodyHandlers.discarding());
        expect(patch, 202, "PATCH large blob");
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        String next = patch.headers().firstValue("Location").orElseThrow();
        HttpResponse<Void> put = http.send(req(withDigest(next, digest)).timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
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

        cpu0 = Cpu.sample(serverPid);
        t0 = System.nanoTime();
        HttpResponse<InputStream> get = http.send(req("v2/" + repo + "/blobs/" + digest).timeout(Duration.ofMinutes(10)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        expect(get, 200, "GET large blob");
        long read = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = get.body()) {
            for (int k; (k = in.read(buf)) > 0; ) {
                read += k;
            }
        }
        double pull = (System.nanoTime() - t0) / 1e9;
        if (read != largeBytes) {
            throw new IOException("GET large blob returned " + read + " bytes");
        }
        double pullMBs = largeBytes / 1e6 / pull;
        cpu = Cpu.sample(serverPid).minus(cpu0);
        System.out.printf("%-22s c=1   %9.1f MB/s   (%d MiB in %.2f s)%s%n", "get_large_blob", pullMBs, largeBytes >> 20, pull,
            cpu.describeBulk(serverPid, largeBytes, pull));
        emit("get_large_blob", 1, "MB_s", pullMBs);
        if (serverPid > 0) {
            emit("get_large_blob", 1, "server_cpu_s_per_GB", cpu.server / (double) Cpu.HZ / (largeBytes / 1e9));
        }
        noteForeign(cpu, pull);
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
    // helpers

    String startUpload() throws Exception {
        HttpResponse<Void> post = http.send(req("v2/" + repo + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
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

    /** Basic credentials for every request, from {@code BENCH_BASIC=user:password} (Wharf needs a login; others may not). */
    static final String AUTHORIZATION = System.getenv("BENCH_BASIC") == null || System.getenv("BENCH_BASIC").isEmpty() ? null
        : "Basic " + java.util.Base64.getEncoder().encodeToString(System.getenv("BENCH_BASIC").getBytes(StandardCharsets.UTF_8));

    HttpRequest.Builder req(String pathOrLocation) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathOrLocation)).timeout(REQUEST_TIMEOUT);
        return AUTHORIZATION == null ? builder : builder.header("Authorization", AUTHORIZATION);
    }

    /** With credentials, creates the repository's project through Wharf's Harbor-shaped API (a 409 means it exists). */
    void ensureProject() throws Exception {
        if (AUTHORIZATION == null) {
            return;
        }
        String project = repo.contains("/") ? repo.substring(0, repo.indexOf('/')) : repo;
        http.send(req("api/v2.0/projects").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"project_name\":\"" + project + "\",\"public\":false}")).build(),
            HttpResponse.BodyHandlers.discarding());
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

    static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    void emit(String metric, int clients, String unit, double value) throws IOException {
        if (out == null) {
            return;
        }
        String line = String.join("\t", label, metric, String.valueOf(clients), unit, String.format("%.3f", value)) + "\n";
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

    static String table(List<String> files) throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        for (String f : files) {
            for (String line : Files.readAllLines(Path.of(f))) {
                String[] c = line.split("\t");
                if (c.length != 5) {
                    continue;
                }
                if (!labels.contains(c[0])) {
                    labels.add(c[0]);
                }
                String key = c[1] + " | " + c[2] + " | " + c[3];
                double v = Double.parseDouble(c[4]);
                String shown = v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
                rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(c[0], shown);
            }
        }
        StringBuilder sb = new StringBuilder("| operation | clients | unit |");
        labels.forEach(l -> sb.append(' ').append(l).append(" |"));
        sb.append("\n|---|---:|---|");
        labels.forEach(l -> sb.append("---:|"));
        sb.append('\n');
        rows.forEach((key, values) -> {
            sb.append("| ").append(key).append(" |");
            labels.forEach(l -> sb.append(' ').append(values.getOrDefault(l, "")).append(" |"));
            sb.append('\n');
        });
        return sb.toString();
    }
}
