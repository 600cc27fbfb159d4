package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.api.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One object of the NATS object store, read chunk by chunk while the caller reads: each chunk is one
 * {@code $JS.API.STREAM.MSG.GET.OBJ_<bucket>} request ("next message of the object's chunk subject after sequence
 * n"), and the next chunk is requested as soon as the current one arrives. So a reader holds at most two chunks
 * (128 KiB each by default) and a slow reader slows only its own requests; nothing is written to disk.
 *
 * <p>Why not {@code ObjectStore.get(name, out)}: it pushes the whole object through an ordered push consumer into
 * an {@code OutputStream} and gives up when a chunk is more than the request timeout late. The gateway used to copy
 * every output to a temp file that way before sending the first byte; under load, 3 of 4 concurrent readers of a
 * 200 MB output failed. A chunk request that times out here is retried ({@link #ATTEMPTS} times) instead.
 *
 * <p>The size, chunk count and SHA-256 digest recorded in the object's metadata are checked; a mismatch fails the
 * last {@code read} with an {@link IOException}, so a truncated or altered object is never read as complete. Not
 * thread-safe (one reader, as any {@code InputStream}).
 */
final class ObjectChunkStream extends InputStream {
  static final int ATTEMPTS = 5;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Connection connection;
  private final String uri;
  private final String apiSubject;
  private final String chunkSubject;
  private final long chunks;
  private final long size;
  private final String digest;
  private final MessageDigest sha;
  private CompletableFuture<Message> next;
  private byte[] chunk = new byte[0];
  private int pos;
  private long chunksRead;
  private long bytesRead;
  private long lastSeq;
  private boolean done;
  private boolean closed;

  ObjectChunkStream(Connection connection, String uri, ObjectInfo info) {
    this.connection = connection;
    this.uri = uri;
    this.apiSubject = "$JS.API.STREAM.MSG.GET.OBJ_" + info.getBucket();
    this.chunkSubject = "$O." + info.getBucket() + ".C." + info.getNuid();
    this.chunks = info.getChunks();
    this.size = info.getSize();
    this.digest = info.getDigest();
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (chunks > 0) {
      next = request(0);
    } else {
      done = true;
    }
  }

  private CompletableFuture<Message> request(long afterSeq) {
    byte[] body = ("{\"seq\":" + (afterSeq + 1) + ",\"next_by_subj\":\"" + chunkSubject + "\"}").getBytes(StandardCharsets.UTF_8);
    return connection.requestWithTimeout(apiSubject, body, REQUEST_TIMEOUT);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (pos >= chunk.length) {
      if (done) {
        return -1;
      }
      nextChunk();
    }
    int n = Math.min(len, chunk.length - pos);
    System.arraycopy(chunk, pos, buf, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return chunk.length - pos;
  }

  private void nextChunk() throws IOException {
    JsonNode msg = awaitChunk();
    lastSeq = msg.path("seq").asLong();
    chunksRead++;
    if (chunksRead < chunks) {
      next = request(lastSeq); // fetch ahead while the caller consumes this one
    }
    String data = msg.path("data").asText("");
    chunk = data.isEmpty() ? new byte[0] : Base64.getDecoder().decode(data);
    pos = 0;
    bytesRead += chunk.length;
    sha.update(chunk);
    if (bytesRead > size) {
      throw new IOException("object " + uri + " has more than its recorded " + size + " bytes");
    }
    if (chunksRead == chunks) {
      done = true;
      verify();
    }
  }

  /** The current request's chunk, retrying a request that timed out or found no responder. */
  private JsonNode awaitChunk() throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        Message reply = next.get(REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        JsonNode body = Json.tree(reply.getData());
        JsonNode err = body.path("error");
        if (!err.isMissingNode()) {
          if (err.path("err_code").asInt() == 10037) {
            throw new IOException("object " + uri + " lost its chunk " + (chunksRead + 1) + " of " + chunks
                + " (expired or purged while it was read)");
          }
          throw new IOException("cannot read chunk " + (chunksRead + 1) + " of " + uri + ": " + err.path("description").asText());
        }
        return body.path("message");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + uri);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        last = new IOException("no answer for chunk " + (chunksRead + 1) + " of " + uri + " after " + attempt
            + " attempt(s): " + c, c);
        next = request(lastSeq);
      }
    }
    throw last;
  }

  private void verify() throws IOException {
    if (bytesRead != size) {
      throw new IOException("object " + uri + " has " + bytesRead + " bytes, its metadata says " + size);
    }
    if (digest != null && digest.regionMatches(true, 0, "SHA-256=", 0, 8)) {
      byte[] want;
      try {
        want = Base64.getUrlDecoder().decode(digest.substring(8));
      } catch (IllegalArgumentException e) {
        return; // a digest this version cannot parse: size and chunk count were checked
      }
      if (!Arrays.equals(want, sha.digest())) {
        throw new IOException("object " + uri + " does not match its SHA-256 digest (altered or corrupt)");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    chunk = new byte[0];
    if (next != null) {
      next.cancel(false);
    }
  }
}
