package io.jetmesh.runtime;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.io.InputStream;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code s3://bucket/key} access through AWS SDK v2, configured for S3-compatible stores too: custom endpoint,
 * path-style addressing, checksums only when required (portable across servers), bounded timeouts with the SDK's
 * standard retries. Errors map to job error codes: missing object/bucket → {@code INPUT_NOT_FOUND}, access denied →
 * {@code INVALID_INPUT}, network or 5xx → {@code UNAVAILABLE} (retried).
 */
public final class S3Blobs implements AutoCloseable {
  private final S3Client s3;

  public S3Blobs(S3Settings settings) {
    AwsCredentialsProvider creds = settings.anonymous() ? AnonymousCredentialsProvider.create()
        : settings.accessKey() != null
            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
            : DefaultCredentialsProvider.builder().build();
    var b = S3Client.builder()
        .region(Region.of(settings.region()))
        .forcePathStyle(settings.pathStyle())
        .credentialsProvider(creds)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(java.time.Duration.ofSeconds(3))
            .socketTimeout(settings.timeout()))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .apiCallTimeout(settings.timeout().multipliedBy(3))
            .apiCallAttemptTimeout(settings.timeout())
            .build());
    if (settings.endpoint() != null) {
      b.endpointOverride(settings.endpoint());
    }
    this.s3 = b.build();
  }

  /** Bucket and key of {@code s3://bucket/key}. */
  public record S3Location(String bucket, String key) {
    public static S3Location parse(String uri) {
      URI u = URI.create(uri);
      String bucket = u.getHost() != null ? u.getHost() : u.getAuthority();
      String path = u.getRawPath();
      if (!"s3".equals(u.getScheme()) || bucket == null || path == null || path.length() < 2) {
        throw new IllegalArgumentException("expected s3://bucket/key: " + uri);
      }
      return new S3Location(bucket, java.net.URLDecoder.decode(path.substring(1), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Size of the object, checked before download. */
  public long size(String uri) throws JobException {
    S3Location loc = location(uri);
    try {
      HeadObjectResponse head = s3.headObject(HeadObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
      return head.contentLength() == null ? -1 : head.contentLength();
    } catch (RuntimeException e) {
      throw map(uri, e);
    }
  }

  public InputStream open(String uri) throws JobException {
    S3Location loc = location(uri);
    try {
      return s3.getObject(GetObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
    } catch (RuntimeException e) {
      throw map(uri, e);
    }
  }

  /** Uploads bytes (used by tests and the CLI's {@code --upload-to s3://...}). */
  public void put(String uri, byte[] data, String contentType) throws JobException {
    S3Location loc = location(uri);
    try {
      s3.putObject(PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).contentType(contentType).build(),
          RequestBody.fromBytes(data));
    } catch (RuntimeException e) {
      throw map(uri, e);
    }
  }

  public S3Client client() {
    return s3;
  }

  private static S3Location location(String uri) throws JobException {
    try {
      return S3Location.parse(uri);
    } catch (IllegalArgumentException e) {
      throw JobException.invalidInput(e.getMessage());
    }
  }

  static JobException map(String uri, RuntimeException e) {
    if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException) {
      return new JobException(ErrorCode.INPUT_NOT_FOUND, "no such S3 object: " + uri, e);
    }
    if (e instanceof S3Exception s3e) {
      int status = s3e.statusCode();
      if (status == 404) {
        return new JobException(ErrorCode.INPUT_NOT_FOUND, "no such S3 object: " + uri, e);
      }
      if (status == 403 || status == 401) {
        return new JobException(ErrorCode.INVALID_INPUT, "access to " + uri + " denied (" + status
            + "): check the worker's S3 credentials and the bucket policy", e);
      }
      if (status >= 500 || status == 429) {
        return new JobException(ErrorCode.UNAVAILABLE, "S3 answered " + status + " for " + uri + ": " + s3e.getMessage(), e);
      }
      return new JobException(ErrorCode.INVALID_INPUT, "S3 refused " + uri + " (" + status + "): " + s3e.getMessage(), e);
    }
    if (e instanceof SdkClientException) {
      return new JobException(ErrorCode.UNAVAILABLE, "S3 endpoint unreachable or too slow for " + uri + ": " + e.getMessage(), e);
    }
    return new JobException(ErrorCode.UNAVAILABLE, "S3 error for " + uri + ": " + e, e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
