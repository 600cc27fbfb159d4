package io.jetmesh.client;

import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NATS object store side of blob references ({@code nats-object://bucket/name}): uploads of inputs and the
 * large outputs workers store. Used by the client and the worker runtime alike.
 */
public final class BlobClient {
  private final Connection connection;
  private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();

  public BlobClient(Connection connection) {
    this.connection = connection;
  }

  /** Parses {@code nats-object://bucket/name/with/slashes} into bucket and object name. */
  public record ObjectLocation(String bucket, String name) {
    public static ObjectLocation parse(String uri) {
      URI u = URI.create(uri);
      if (!InputRef.SCHEME_NATS_OBJECT.equals(u.getScheme())) {
        throw new IllegalArgumentException("not a nats-object:// reference: " + uri);
      }
      String bucket = u.getHost() != null ? u.getHost() : u.getAuthority();
      String path = u.getPath();
      if (bucket == null || path == null || path.length() < 2) {
        throw new IllegalArgumentException("expected nats-object://bucket/name: " + uri);
      }
      return new ObjectLocation(bucket, path.substring(1));
    }

    public String uri() {
      return InputRef.SCHEME_NATS_OBJECT + "://" + bucket + "/" + name;
    }
  }

  private ObjectStore store(String bucket) throws IOException {
    ObjectStore os = stores.get(bucket);
    if (os == null) {
      os = connection.objectStore(bucket);
      stores.put(bucket, os);
    }
    return os;
  }

  /** Stores a stream under {@code name} in the default blob bucket. */
  public BlobRef put(String name, InputStream data, String contentType) throws MeshException {
    return put(Subjects.BLOB_BUCKET, name, data, contentType);
  }

  public BlobRef put(String bucket, String name, InputStream data, String contentType) throws MeshException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      InputStream counted = new java.security.DigestInputStream(data, sha);
      ObjectMeta.Builder meta = ObjectMeta.builder(name);
      if (contentType != null) {
        meta.headers(new io.nats.client.impl.Headers().put("Content-Type", contentType));
      }
      ObjectInfo info = store(bucket).put(meta.build(), counted);
      return new BlobRef(new ObjectLocation(bucket, name).uri(), info.getSize(), contentType,
          HexFormat.of().formatHex(sha.digest()));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10059 || e.getErrorCode() == 404) {
        throw new MeshException("object store bucket '" + bucket + "' does not exist: run 'jetmesh provision'", e);
      }
      throw new MeshException("cannot store blob " + name + " in " + bucket + ": " + e.getMessage(), e);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new MeshException("cannot store blob " + name + " in " + bucket + ": " + e.getMessage(), e);
    }
  }

  public BlobRef put(String name, byte[] data, String contentType) throws MeshException {
    return put(name, new java.io.ByteArrayInputStream(data), contentType);
  }

  public BlobRef putFile(String name, Path file, String contentType) throws MeshException {
    try (InputStream in = Files.newInputStream(file)) {
      return put(name, in, contentType);
    } catch (IOException e) {
      throw new MeshException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Object metadata, or {@code null} when the object does not exist. */
  public ObjectInfo info(String uri) throws MeshException {
    ObjectLocation loc = ObjectLocation.parse(uri);
    try {
      ObjectInfo info = store(loc.bucket()).getInfo(loc.name());
      return info == null || info.isDeleted() ? null : info;
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == 404) {
        return null;
      }
      throw new MeshException("cannot read blob info " + uri + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MeshException("cannot read blob info " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Copies the object into {@code out}; throws {@link BlobNotFoundException} if it does not exist. */
  public long copyTo(String uri, OutputStream out) throws MeshException {
    ObjectLocation loc = ObjectLocation.parse(uri);
    try {
      ObjectInfo info = store(loc.bucket()).get(loc.name(), out);
      if (info == null) {
        throw new BlobNotFoundException("no such object: " + uri);
      }
      return info.getSize();
    } catch (BlobNotFoundException e) {
      throw e;
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == 404 || e.getApiErrorCode() == 10059) {
        throw new BlobNotFoundException("no such object: " + uri + " (" + e.getMessage() + ")");
      }
      throw new MeshException("cannot read blob " + uri + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).contains("not found")) {
        throw new BlobNotFoundException("no such object: " + uri);
      }
      throw new MeshException("cannot read blob " + uri + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MeshException("cannot read blob " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while reading blob " + uri, e);
    } catch (NoSuchAlgorithmException e) {
      throw new MeshException("cannot verify blob " + uri + ": " + e.getMessage(), e);
    }
  }

  public byte[] getBytes(String uri) throws MeshException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copyTo(uri, out);
    return out.toByteArray();
  }

  /**
   * Opens the object for reading as it is fetched, chunk by chunk (bounded memory, nothing on disk; see
   * {@link ObjectChunkStream}). Its size and digest are checked when the last byte is read.
   *
   * @throws BlobNotFoundException the object does not exist
   * @throws MeshException its metadata cannot be read, or it is a link (links are not followed)
   */
  public InputStream open(String uri) throws MeshException {
    ObjectInfo info = info(uri);
    if (info == null) {
      throw new BlobNotFoundException("no such object: " + uri);
    }
    if (info.isLink()) {
      throw new MeshException("object " + uri + " is a link; links are not followed");
    }
    return new ObjectChunkStream(connection, uri, info);
  }

  /** Deletes an object; missing objects are ignored. */
  public void delete(String uri) throws MeshException {
    ObjectLocation loc = ObjectLocation.parse(uri);
    try {
      store(loc.bucket()).delete(loc.name());
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != 404) {
        throw new MeshException("cannot delete blob " + uri + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new MeshException("cannot delete blob " + uri + ": " + e.getMessage(), e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(out);
      return HexFormat.of().formatHex(out.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }

  /** The referenced object does not exist. */
  public static final class BlobNotFoundException extends MeshException {
    public BlobNotFoundException(String message) {
      super(message);
    }
  }
}
