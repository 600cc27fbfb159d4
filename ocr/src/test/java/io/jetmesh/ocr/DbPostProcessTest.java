package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DbPostProcessTest {
  private final DbPostProcess db = new DbPostProcess(0.3f, 0.5f, 1.6f, 1000);

  @Test
  void growsAShrunkTextRegionByTheUnclipDistanceAndScalesItToTheImage() {
    int w = 200;
    int h = 100;
    float[] prob = new float[w * h];
    fill(prob, w, 40, 30, 120, 10, 0.9f); // x 40..159, y 30..39
    List<DbPostProcess.Quad> quads = db.boxes(prob, w, h, 2.0, 2.0, 400, 200);

    assertThat(quads).hasSize(1);
    DbPostProcess.Quad q = quads.get(0);
    double d = 120.0 * 10 * 1.6 / (2 * (120 + 10)); // area * ratio / perimeter = 7.38
    assertThat(q.minX()).isCloseTo((float) ((40 - d) * 2), within(1.5f));
    assertThat(q.maxX()).isCloseTo((float) ((160 + d) * 2), within(1.5f));
    assertThat(q.minY()).isCloseTo((float) ((30 - d) * 2), within(1.5f));
    assertThat(q.maxY()).isCloseTo((float) ((40 + d) * 2), within(1.5f));
    assertThat(q.score()).isCloseTo(0.9f, within(0.01f));
  }

  @Test
  void keepsTheAngleOfARotatedLine() {
    int w = 300;
    int h = 300;
    float[] prob = new float[w * h];
    double a = Math.toRadians(30);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (x - 150) * Math.cos(a) + (y - 150) * Math.sin(a);
        double v = -(x - 150) * Math.sin(a) + (y - 150) * Math.cos(a);
        if (Math.abs(u) < 80 && Math.abs(v) < 8) {
          prob[y * w + x] = 0.8f;
        }
      }
    }
    DbPostProcess.Quad q = db.boxes(prob, w, h, 1, 1, w, h).get(0);

    double angle = Math.toDegrees(Math.atan2(q.ys()[1] - q.ys()[0], q.xs()[1] - q.xs()[0]));
    assertThat(angle).isCloseTo(30, within(2.0));
    assertThat(q.width()).isGreaterThan(4 * q.height());
  }

  @Test
  void dropsFaintRegionsAndSpecks() {
    int w = 100;
    int h = 100;
    float[] prob = new float[w * h];
    fill(prob, w, 10, 10, 50, 10, 0.4f); // above the pixel threshold, below the box threshold
    fill(prob, w, 80, 80, 2, 2, 0.9f); // too small
    assertThat(db.boxes(prob, w, h, 1, 1, w, h)).isEmpty();
  }

  private static void fill(float[] p, int w, int x0, int y0, int bw, int bh, float v) {
    for (int y = y0; y < y0 + bh; y++) {
      for (int x = x0; x < x0 + bw; x++) {
        p[y * w + x] = v;
      }
    }
  }
}
