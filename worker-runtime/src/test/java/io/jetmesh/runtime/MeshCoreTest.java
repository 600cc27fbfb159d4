package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.api.MessageInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mesh core end to end over a real nats-server: client → diag worker → result, and every failure path. */
class MeshCoreTest {
  static EmbeddedMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void start() throws Exception {
    mesh = EmbeddedMesh.builder().modules(List.of(new DiagModule())).concurrency(8).start();
    client = MeshClient.connect(mesh.options());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  private static JobResult await(JobSubmission s) throws Exception {
    return s.result().get(60, TimeUnit.SECONDS);
  }

  private static JobFailedException failure(JobSubmission s) throws Exception {
    try {
      s.result().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(JobFailedException.class);
      return (JobFailedException) e.getCause();
    }
    throw new AssertionError("job " + s.jobId() + " succeeded");
  }

  @Test
  void aJobSubmittedRightBeforeCloseIsStoredNotDropped() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("close-race", ".txt");
    java.nio.file.Files.writeString(file, "stored before close");
    JobSubmission s;
    try (MeshClient shortLived = MeshClient.connect(mesh.options())) {
      // the upload and the publish are still in flight when close() starts
      s = shortLived.submit(JobRequest.builder("diag.echo").file(file).build());
    }
    assertThat(s.stored()).as("close() waits for the acknowledgement").isCompleted();
    // a job whose id was handed out is in the stream: another client sees it end
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Optional<JobResult> r = Optional.empty();
    while (r.isEmpty() && System.nanoTime() < deadline) {
      r = client.result(s.jobId()).get(10, TimeUnit.SECONDS);
      if (r.isEmpty()) {
        Thread.sleep(100);
      }
    }
    assertThat(r).as("result of job " + s.jobId()).isPresent();
    assertThat(r.get().output().path("size").asLong()).isEqualTo(19);
    java.nio.file.Files.deleteIfExists(file);
  }

  @Test
  void storedCompletesOnTheAcknowledgementAndFailsWithAnUnknownSubject() throws Exception {
    JobSubmission ok = client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build());
    ok.stored().get(30, TimeUnit.SECONDS);
    assertThat(await(ok).status()).isEqualTo(JobState.COMPLETED);
    JobSubmission bad = client.submit(JobRequest.builder("nosuch.service").inline(new byte[0], null, null).build());
    assertThatThrownBy(() -> bad.stored().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noopJobCompletesWithItsOutput() throws Exception {
    JobResult r = await(client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build()));
    assertThat(r.status()).isEqualTo(JobState.COMPLETED);
    assertThat(r.output().path("ok").asBoolean()).isTrue();
    assertThat(r.worker()).isEqualTo("diag-embedded");
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void echoReadsInlineInputAndOptions() throws Exception {
    JobResult r = await(client.submit(JobRequest.builder("diag.echo")
        .inline("hello".getBytes(StandardCharsets.UTF_8), "h.txt", "text/plain").options("{\"k\":42}").build()));
    assertThat(r.output().path("size").asLong()).isEqualTo(5);
    assertThat(r.output().path("sha256").asText()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(r.output().path("options").path("k").asInt()).isEqualTo(42);
  }

  @Test
  void uploadedFileIsReadFromTheObjectStore() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("jetmesh", ".bin");
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(1).nextBytes(data);
    java.nio.file.Files.write(f, data);
    JobResult r = await(client.submit(JobRequest.builder("diag.echo").file(f).build()));
    assertThat(r.output().path("size").asLong()).isEqualTo(data.length);
  }

  @Test
  void progressEventsReachTheClientWhileTheJobRuns() throws Exception {
    List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    JobResult r = await(client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
        .options("{\"ms\":600}").progressListener(events::add).build()));
    assertThat(r.succeeded()).isTrue();
    assertThat(events).isNotEmpty();
    assertThat(events.get(events.size() - 1).progress().total()).isEqualTo(600);
  }

  /** `jetmesh worker` logs one INFO line per answered job (issue 12, defect 6): what ran, how it ended, how long. */
  @Test
  void everyAnsweredJobHasAnInfoLineNamingItsOutcome() throws Exception {
    ch.qos.logback.classic.Logger jobs = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("jetmesh.job.diag");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    jobs.addAppender(lines);
    ch.qos.logback.classic.Level before = jobs.getLevel();
    jobs.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      JobSubmission ok = client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build());
      await(ok);
      JobSubmission bad = client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
          .options("{\"code\":\"INVALID_INPUT\",\"message\":\"bad bytes\"}").build());
      failure(bad);
      // the line is written after the result is stored, so it may follow the client's answer by a moment
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lines.list.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<String> info = lines.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
          .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
      assertThat(info).anySatisfy(l -> assertThat(l).contains(ok.jobId(), "diag.noop", "completed in ").endsWith(" ms"));
      assertThat(info).anySatisfy(l -> assertThat(l).contains(bad.jobId(), "diag.fail", "failed in ", "INVALID_INPUT bad bytes"));
    } finally {
      jobs.detachAppender(lines);
      jobs.setLevel(before);
    }
  }

  @Test
  void permanentFailureAnswersAtOnceWithoutRetry() throws Exception {
    JobFailedException e = failure(client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
        .options("{\"code\":\"INVALID_INPUT\",\"message\":\"bad bytes\"}").build()));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.errorMessage()).isEqualTo("bad bytes");
    assertThat(e.result().attempts()).isEqualTo(1);
    assertThat(e.status()).isEqualTo(JobState.FAILED);
  }

  @Test
  void retryableFailureIsRetriedWithBackoffThenSucceeds() throws Exception {
    JobResult r = await(client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
        .options("{\"code\":\"UNAVAILABLE\",\"succeed_on_attempt\":2}").build()));
    assertThat(r.output().path("attempt").asInt()).isEqualTo(2);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void poisonJobIsDeadAfterMaxDeliveriesAndReplayable() throws Exception {
    JobSubmission s = client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
        .options("{\"throw_runtime\":true,\"message\":\"boom\"}").build());
    JobFailedException e = failure(s);
    assertThat(e.status()).isEqualTo(JobState.DEAD);
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.result().attempts()).isEqualTo(3); // diag: max_deliver 3
    try (var nc = io.jetmesh.client.Connections.connect(mesh.options(), "t", null)) {
      MessageInfo mi = nc.jetStreamManagement().getLastMessage(Subjects.DLQ_STREAM, Subjects.deadLetter("diag", s.jobId()));
      DeadLetter dl = Json.fromBytes(mi.getData(), DeadLetter.class);
      assertThat(dl.attempts()).isEqualTo(3);
      assertThat(dl.envelope().id()).isEqualTo(s.jobId());
      assertThat(dl.reason()).contains("boom");
      // error.retryable means the same in the result and the dead letter (PROTOCOL.md 4.1): a transient kind of
      // failure, so a replay may succeed.
      assertThat(e.retryable()).isTrue();
      assertThat(dl.error().retryable()).isTrue();
      assertThat(dl.error().code()).isEqualTo(e.code());
    }
  }

  @Test
  void sameJobIdSubmittedTwiceIsProcessedOnce() throws Exception {
    String id = io.jetmesh.protocol.JobIds.newId();
    JobRequest req = JobRequest.builder("diag.sleep").jobId(id).inline(new byte[0], null, null).options("{\"ms\":300}").build();
    JobResult first = await(client.submit(req));
    try (MeshClient other = MeshClient.connect(mesh.options().newBuilder().clientId(mesh.options().clientId()).build())) {
      JobResult again = other.submit(req).result().get(30, TimeUnit.SECONDS);
      assertThat(again.startedAt()).isEqualTo(first.startedAt());
    }
  }

  @Test
  void cancellationReachesTheRunningHandler() throws Exception {
    JobSubmission s = client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":20000}").build());
    Thread.sleep(500);
    client.cancel(s.jobId()).get(10, TimeUnit.SECONDS);
    JobFailedException e = failure(s);
    assertThat(e.status()).isEqualTo(JobState.CANCELLED);
    assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
  }

  @Test
  void timeoutReachesTheHandler() throws Exception {
    JobFailedException e = failure(client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
        .options("{\"ms\":20000}").timeout(Duration.ofMillis(700)).build()));
    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
  }

  @Test
  void handlerThatIgnoresItsTimeoutIsAbandonedAndTheWorkerGoesOn() throws Exception {
    JobFailedException e = failure(client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
        .options("{\"ms\":8000,\"ignore_cancel\":true}").timeout(Duration.ofMillis(500)).build()));
    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.errorMessage()).contains("did not stop");
    JobResult next = await(client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build()));
    assertThat(next.succeeded()).isTrue();
  }

  @Test
  void largeOutputComesBackAsABlobReferenceResolvedByTheClient() throws Exception {
    JobResult r = await(client.submit(JobRequest.builder("diag.echo").inline(new byte[1], null, null)
        .options("{\"output_bytes\":600000}").build()));
    assertThat(r.output()).isNull();
    assertThat(r.outputRef().uri()).startsWith("nats-object://jetmesh-blobs/results/");
    assertThat(client.output(r).get(30, TimeUnit.SECONDS).path("padding").asText()).hasSize(600000);
  }

  @Test
  void resultAndStatusCanBeFetchedByAnotherClientLater() throws Exception {
    JobSubmission s = client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build());
    await(s);
    try (MeshClient other = MeshClient.connect(mesh.options().newBuilder().clientId(null).build())) {
      Optional<JobResult> r = other.result(s.jobId()).get(10, TimeUnit.SECONDS);
      assertThat(r).isPresent();
      assertThat(r.get().status()).isEqualTo(JobState.COMPLETED);
      Optional<JobStatus> st = other.status(s.jobId()).get(10, TimeUnit.SECONDS);
      assertThat(st).get().extracting(JobStatus::state).isEqualTo(JobState.COMPLETED);
      assertThat(other.await(s.jobId(), null).get(10, TimeUnit.SECONDS).succeeded()).isTrue();
    }
  }

  @Test
  void unknownSubjectIsRefusedBeforePublishing() {
    assertThatThrownBy(() -> client.submit(JobRequest.builder("nope.op").inline(new byte[0], null, null).build())
        .result().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no service handles 'nope.op'");
  }
}
