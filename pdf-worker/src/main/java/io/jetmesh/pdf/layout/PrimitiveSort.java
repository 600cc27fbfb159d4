package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Stable sorting by a (direction, float) key without comparator objects: each element's key and index are packed
 * into one {@code long} and the longs are sorted as primitives. Layout sorts glyphs and words several times per page;
 * with comparator chains those sorts were the largest single cost of the {@code text} operation (JFR: about 15 % of
 * its samples), with packed keys they are a few percent.
 *
 * <p>Order is exactly {@code Comparator.comparingInt(dir).thenComparingDouble(key)} applied by a stable sort
 * ({@link Float#compare} order: -0.0 before 0.0, NaN last), ties keep their input order.
 */
final class PrimitiveSort {
  private static final int INDEX_BITS = 29;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  private PrimitiveSort() {}

  /** The float's bits mapped so that unsigned integer order equals {@link Float#compare} order. */
  static long sortableBits(float f) {
    int bits = Float.floatToIntBits(f);
    bits ^= (bits >> 31) & 0x7fffffff;
    return (bits ^ 0x80000000) & 0xffffffffL;
  }

  /**
   * The permutation that sorts elements by (direction, key); {@code dirs} may be null (all equal). Directions must be
   * 0, 90, 180 or 270, which is what glyphs and words carry; any other value falls back to a boxed stable sort.
   */
  static int[] order(int[] dirs, float[] keys, int n) {
    int[] out = new int[n];
    if (n >= (1 << INDEX_BITS) || !plainDirections(dirs, n)) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, (a, b) -> {
        int c = dirs == null ? 0 : Integer.compare(dirs[a], dirs[b]);
        return c != 0 ? c : Float.compare(keys[a], keys[b]);
      });
      for (int i = 0; i < n; i++) {
        out[i] = boxed[i];
      }
      return out;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      long d = dirs == null ? 0 : dirs[i] / 90;
      packed[i] = d << (32 + INDEX_BITS) | sortableBits(keys[i]) << INDEX_BITS | i;
    }
    Arrays.sort(packed);
    for (int i = 0; i < n; i++) {
      out[i] = (int) (packed[i] & INDEX_MASK);
    }
    return out;
  }

  /** A float sort key of an element (a functional interface without boxing). */
  interface FloatKey<T> {
    float of(T item);
  }

  /**
   * A sorted copy of {@code items}: by {@code dir} (null: no direction key) then {@code key}, stable. Keys are read
   * once per element, not once per comparison.
   */
  static <T> List<T> sorted(List<T> items, ToIntFunction<T> dir, FloatKey<T> key) {
    int n = items.size();
    int[] dirs = dir == null ? null : new int[n];
    float[] keys = new float[n];
    for (int i = 0; i < n; i++) {
      T item = items.get(i);
      if (dirs != null) {
        dirs[i] = dir.applyAsInt(item);
      }
      keys[i] = key.of(item);
    }
    int[] order = order(dirs, keys, n);
    List<T> out = new ArrayList<>(n);
    for (int i : order) {
      out.add(items.get(i));
    }
    return out;
  }

  private static boolean plainDirections(int[] dirs, int n) {
    if (dirs == null) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      int d = dirs[i];
      if (d != 0 && d != 90 && d != 180 && d != 270) {
        return false;
      }
    }
    return true;
  }
}
