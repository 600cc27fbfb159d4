package io.jetmesh.pdf.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrimitiveSortTest {
  private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};

  @Test
  void ordersLikeAStableComparatorSortIncludingTiesAndSpecialValues() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = rnd.nextInt(300);
      int[] dirs = new int[n];
      float[] keys = new float[n];
      for (int i = 0; i < n; i++) {
        dirs[i] = 90 * rnd.nextInt(4);
        // few distinct values so that ties are common
        keys[i] = rnd.nextInt(5) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextInt(20) - 10 + (rnd.nextBoolean() ? 0.5f : 0f);
      }
      assertThat(PrimitiveSort.order(dirs, keys, n))
          .containsExactly(stableOrder(n, Comparator.<Integer>comparingInt(i -> dirs[i]).thenComparingDouble(i -> keys[i])));
      assertThat(PrimitiveSort.order(null, keys, n)).containsExactly(stableOrder(n, Comparator.comparingDouble(i -> keys[i])));
    }
  }

  @Test
  void unusualDirectionsFallBackToTheSameOrder() {
    int[] dirs = {45, 0, 45, -90};
    float[] keys = {2f, 1f, 1f, 3f};
    assertThat(PrimitiveSort.order(dirs, keys, 4)).containsExactly(3, 1, 2, 0);
  }

  private static int[] stableOrder(int n, Comparator<Integer> cmp) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, cmp);
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }
}
