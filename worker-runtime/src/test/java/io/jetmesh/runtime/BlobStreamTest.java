package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.client.BlobClient;
import io.jetmesh.client.Connections;
import io.jetmesh.client.JobRequest;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BlobClient#open}: an object of the NATS object store read while it is fetched, chunk by chunk, over a real
 * nats-server; its size and digest are checked, so a chunk lost or replaced while it was stored is an error, not a
 * short or wrong download.
 */
class BlobStreamTest {
  static EmbeddedMesh mesh;
  static Connection nc;
  static BlobClient blobs;

  @BeforeAll
  static void start() throws Exception {
    mesh = EmbeddedMesh.builder().modules(List.of()).start();
    nc = Connections.connect(mesh.options(), "blob-stream-test", null);
    blobs = new BlobClient(nc);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aMultiChunkObjectReadsBackExactlyInSmallAndLargeReads() throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 17, 1); // 25 chunks of 128 KiB, the last one short
    String uri = blobs.put("test/multi.bin", data, "application/octet-stream").uri();
    try (InputStream in = blobs.open(uri)) {
      byte[] head = new byte[5];
      assertThat(in.read(head, 0, 5)).isEqualTo(5);
      assertThat(in.read()).isEqualTo(data[5] & 0xff);
      byte[] rest = in.readAllBytes();
      assertThat(rest.length).isEqualTo(data.length - 6);
      assertThat(Arrays.copyOfRange(data, 6, data.length)).isEqualTo(rest);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void anEmptyObjectIsAnEmptyStreamAndAMissingOneIsNotFound() throws Exception {
    String uri = blobs.put("test/empty.bin", new byte[0], null).uri();
    try (InputStream in = blobs.open(uri)) {
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThatThrownBy(() -> blobs.open("nats-object://jetmesh-blobs/test/nope.bin"))
        .isInstanceOf(BlobClient.BlobNotFoundException.class);
  }

  @Test
  void aReplacedChunkFailsTheDigestCheckAtTheEnd() throws Exception {
    byte[] data = random(300_000, 2);
    String uri = blobs.put("test/tampered.bin", data, null).uri();
    ObjectInfo info = blobs.info(uri);
    String chunkSubject = "$O.jetmesh-blobs.C." + info.getNuid();
    JetStreamManagement jsm = nc.jetStreamManagement();
    MessageInfo last = jsm.getLastMessage("OBJ_jetmesh-blobs", chunkSubject);
    jsm.deleteMessage("OBJ_jetmesh-blobs", last.getSeq());
    byte[] forged = random(last.getData().length, 3);
    nc.jetStream().publish(chunkSubject, forged);
    try (InputStream in = blobs.open(uri)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("SHA-256");
    }
  }

  @Test
  void aLostChunkIsAnErrorNotAShortRead() throws Exception {
    byte[] data = random(300_000, 4);
    String uri = blobs.put("test/lost.bin", data, null).uri();
    ObjectInfo info = blobs.info(uri);
    JetStreamManagement jsm = nc.jetStreamManagement();
    MessageInfo last = jsm.getLastMessage("OBJ_jetmesh-blobs", "$O.jetmesh-blobs.C." + info.getNuid());
    jsm.deleteMessage("OBJ_jetmesh-blobs", last.getSeq());
    try (InputStream in = blobs.open(uri)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("lost its chunk 3 of 3");
    }
  }

  /** A time limit the client's deadline arithmetic cannot hold is refused before the job is registered. */
  @Test
  void aJobTimeoutBeyondThirtyDaysIsRefused() {
    JobRequest.Builder b = JobRequest.builder("diag.noop");
    assertThatThrownBy(() -> b.timeout(Duration.ofMillis(Long.MAX_VALUE))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 30 days");
    assertThat(b.timeout(JobRequest.MAX_TIMEOUT)).isSameAs(b);
  }
}
