package io.jetmesh.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * S3 access for {@code s3://bucket/key} inputs: AWS S3 by default (region and credentials from the default AWS
 * chain), or any S3-compatible store with {@code endpoint} and {@code pathStyle}.
 *
 * @param endpoint custom endpoint ({@code JETMESH_S3_ENDPOINT}), {@code null} for AWS
 * @param region {@code AWS_REGION}, default {@code us-east-1}
 * @param pathStyle {@code http://host/bucket/key} addressing ({@code JETMESH_S3_PATH_STYLE}, default true with a
 *     custom endpoint)
 * @param accessKey static credentials ({@code AWS_ACCESS_KEY_ID}); {@code null} = default chain
 * @param secretKey {@code AWS_SECRET_ACCESS_KEY}
 * @param anonymous no credentials at all ({@code JETMESH_S3_ANONYMOUS=true}), for public buckets and tests
 * @param timeout per-request timeout; a slow or dead endpoint fails as {@code UNAVAILABLE} after the SDK's retries
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey,
    boolean anonymous, Duration timeout) {

  public static final S3Settings DEFAULTS = new S3Settings(null, "us-east-1", false, null, null, false, Duration.ofSeconds(20));

  public static S3Settings fromEnvironment(Map<String, String> env) {
    String ep = env.get("JETMESH_S3_ENDPOINT");
    URI endpoint = ep == null || ep.isBlank() ? null : URI.create(ep.trim());
    String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
    String ps = env.get("JETMESH_S3_PATH_STYLE");
    boolean pathStyle = ps == null || ps.isBlank() ? endpoint != null : Boolean.parseBoolean(ps.trim());
    String timeout = env.get("JETMESH_S3_TIMEOUT");
    return new S3Settings(endpoint, region, pathStyle, blankToNull(env.get("AWS_ACCESS_KEY_ID")),
        blankToNull(env.get("AWS_SECRET_ACCESS_KEY")), Boolean.parseBoolean(env.getOrDefault("JETMESH_S3_ANONYMOUS", "false")),
        timeout == null || timeout.isBlank() ? Duration.ofSeconds(20) : io.jetmesh.protocol.Units.duration(timeout, "JETMESH_S3_TIMEOUT"));
  }

  public S3Settings withEndpoint(URI newEndpoint, boolean newPathStyle) {
    return new S3Settings(newEndpoint, region, newPathStyle, accessKey, secretKey, anonymous, timeout);
  }

  public S3Settings withCredentials(String ak, String sk) {
    return new S3Settings(endpoint, region, pathStyle, ak, sk, false, timeout);
  }

  public S3Settings withAnonymous() {
    return new S3Settings(endpoint, region, pathStyle, null, null, true, timeout);
  }

  public S3Settings withTimeout(Duration t) {
    return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, anonymous, t);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
