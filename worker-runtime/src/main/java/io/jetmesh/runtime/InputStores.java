package io.jetmesh.runtime;

import io.jetmesh.client.BlobClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.worker.JobException;
import io.nats.client.api.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens job inputs by scheme, enforcing the service's {@code max_input_size} before and while reading: inline
 * bytes, {@code nats-object://} (the embedded default), {@code s3://}, and {@code file:} when explicitly allowed.
 */
final class InputStores implements AutoCloseable {
  private final BlobClient objects;
  private final S3Settings s3Settings;
  private final boolean allowFiles;
  private final java.util.function.Predicate<String> s3BucketAllowed;
  private volatile S3Blobs s3;

  InputStores(BlobClient objects, S3Settings s3Settings, boolean allowFiles, java.util.function.Predicate<String> s3BucketAllowed) {
    this.objects = objects;
    this.s3Settings = s3Settings;
    this.allowFiles = allowFiles;
    this.s3BucketAllowed = s3BucketAllowed;
  }

  InputStream open(InputRef ref, long maxBytes) throws JobException {
    if (ref.isInline()) {
      check(ref.describe(), ref.data().length, maxBytes);
      return new ByteArrayInputStream(ref.data());
    }
    String uri = ref.uri();
    String scheme = URI.create(uri).getScheme();
    switch (scheme) {
      case InputRef.SCHEME_NATS_OBJECT -> {
        ObjectInfo info;
        try {
          info = objects.info(uri);
        } catch (IllegalArgumentException e) {
          throw JobException.invalidInput(e.getMessage());
        } catch (MeshException e) {
          throw new JobException(ErrorCode.UNAVAILABLE, "object store unavailable: " + e.getMessage(), e);
        }
        if (info == null) {
          throw JobException.notFound("no such object: " + uri + " (uploads expire after mesh.blob_ttl)");
        }
        check(uri, info.getSize(), maxBytes);
        try {
          return limited(objects.open(uri), uri, maxBytes);
        } catch (BlobClient.BlobNotFoundException e) {
          throw JobException.notFound(e.getMessage());
        } catch (MeshException e) {
          throw new JobException(ErrorCode.UNAVAILABLE, "cannot read " + uri + ": " + e.getMessage(), e);
        }
      }
      case "s3" -> {
        String bucket = URI.create(uri).getHost();
        if (bucket == null || !s3BucketAllowed.test(bucket)) {
          // the worker's S3 credentials must not read buckets the service does not serve (a confused deputy)
          throw JobException.invalidInput("s3 bucket '" + bucket + "' of " + uri + " is not one this service reads"
              + " (namespaces.yaml s3_buckets); name a bucket it allows, or upload the file instead");
        }
        S3Blobs client = s3();
        long size = client.size(uri);
        if (size >= 0) {
          check(uri, size, maxBytes);
        }
        return limited(client.open(uri), uri, maxBytes);
      }
      case "file" -> {
        if (!allowFiles) {
          throw JobException.unsupported("file: inputs are disabled on this worker (start it with --allow-file-inputs "
              + "for local development, or upload the file: jetmesh run / client.upload)");
        }
        Path p = Path.of(URI.create(uri));
        try {
          if (!Files.isRegularFile(p)) {
            throw JobException.notFound("no such file: " + p);
          }
          check(uri, Files.size(p), maxBytes);
          return Files.newInputStream(p);
        } catch (IOException e) {
          throw JobException.notFound("cannot read " + p + ": " + e.getMessage());
        }
      }
      default -> throw JobException.unsupported("unsupported input scheme '" + scheme + "' in " + uri
          + " (supported: nats-object://, s3://, inline data)");
    }
  }

  /** For modules: opens a blob by URI without a job's size limit (model files). */
  InputStream openBlob(String uri) throws IOException {
    String scheme = URI.create(uri).getScheme();
    if (scheme == null) {
      return Files.newInputStream(Path.of(uri));
    }
    try {
      return switch (scheme) {
        case InputRef.SCHEME_NATS_OBJECT -> objects.open(uri);
        case "s3" -> s3().open(uri);
        case "file" -> Files.newInputStream(Path.of(URI.create(uri)));
        default -> throw new IOException("unsupported blob scheme: " + uri);
      };
    } catch (JobException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private S3Blobs s3() {
    S3Blobs c = s3;
    if (c == null) {
      synchronized (this) {
        if (s3 == null) {
          s3 = new S3Blobs(s3Settings);
        }
        c = s3;
      }
    }
    return c;
  }

  private static void check(String what, long size, long max) throws JobException {
    if (size > max) {
      throw JobException.tooLarge("input " + what + " is " + size + " bytes; this service accepts at most " + max
          + " (max_input_size)");
    }
  }

  /** Stops reading with TOO_LARGE past {@code max} bytes even if the store under-reported the size. */
  private static InputStream limited(InputStream in, String what, long max) {
    return new FilterInputStream(in) {
      private long count;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bump(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          bump(n);
        }
        return n;
      }

      private void bump(long n) throws IOException {
        count += n;
        if (count > max) {
          throw new InputTooLargeException("input " + what + " exceeds " + max + " bytes (max_input_size)");
        }
      }
    };
  }

  /** Thrown from a limited stream; the runtime maps it to TOO_LARGE. */
  static final class InputTooLargeException extends IOException {
    InputTooLargeException(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    S3Blobs c = s3;
    if (c != null) {
      c.close();
    }
  }
}
