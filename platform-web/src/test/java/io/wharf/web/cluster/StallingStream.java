package io.wharf.web.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/** Hands out {@code content}, pausing after {@code pauseAt} bytes until {@code resume} opens. */
final class StallingStream extends InputStream {

    private final byte[] content;
    private final int pauseAt;
    private final CountDownLatch paused;
    private final CountDownLatch resume;
    private int position;

    StallingStream(byte[] content, int pauseAt, CountDownLatch paused, CountDownLatch resume) {
        this.content = content;
        this.pauseAt = pauseAt;
        this.paused = paused;
        this.resume = resume;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position == pauseAt) {
            paused.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (position >= content.length) {
            return -1;
        }
        int limit = position < pauseAt ? pauseAt : content.length;
        int n = Math.min(length, limit - position);
        System.arraycopy(content, position, buffer, offset, n);
        position += n;
        return n;
    }
}
