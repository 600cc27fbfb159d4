package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextInputTest {
  private static TextInput classify(String s) throws JobException {
    return TextInput.classify(s.getBytes(StandardCharsets.UTF_8), "auto", null);
  }

  @Test
  void invalidUtf8FailsWithTheByteOffset() {
    byte[] data = "héllo wörld".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[data.length + 3];
    System.arraycopy(data, 0, bad, 0, data.length);
    bad[data.length] = ' ';
    bad[data.length + 1] = (byte) 0xC3; // lead byte followed by a non-continuation byte
    bad[data.length + 2] = 'x';
    var run = HandlerTestKit.forSubject("text.analyze.stats").input(bad, "bad.txt")
        .run(new StatsHandler(TestServices.get()));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("not valid UTF-8").contains("byte offset " + (data.length + 1))
        .contains("0xC3");
  }

  @Test
  void truncatedUtf8AtTheEndIsInvalidToo() {
    byte[] bad = {'a', 'b', (byte) 0xE2, (byte) 0x82};
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input(bad, "t.txt").run(new ChunkHandler(TestServices.get()));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("byte offset 2");
  }

  @Test
  void emptyAndBlankInputsAreInvalid() {
    for (String s : new String[] {"", "  \n\t \n"}) {
      var run = HandlerTestKit.forSubject("text.analyze.embed").input(s.getBytes(StandardCharsets.UTF_8), "e.txt")
          .run(new EmbedHandler(TestServices.get()));
      assertThat(run.errorCode()).as("'%s'", s).isEqualTo(ErrorCode.INVALID_INPUT);
    }
  }

  @Test
  void inputOverTheOperationLimitIsTooLargeWithoutReadingItAll() {
    TextServices small = TestServices.withLimits(new TextServices.Limits(1024, 1024, 1024, 10));
    byte[] big = "word ".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input(big, "big.txt").run(new ChunkHandler(small));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(run.error().getMessage()).contains("1024 bytes");
  }

  @Test
  void aLeadingByteOrderMarkIsDropped() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};
    assertThat(TextInput.classify(bom, "auto", null).text()).isEqualTo("hi");
  }

  @Test
  void kindIsDetectedFromContent() throws Exception {
    assertThat(classify("{\"schema_name\": \"DoclingDocument\", \"body\": {}}").kind()).isEqualTo(TextInput.Kind.DOCLING);
    assertThat(classify("{\"document\": {\"schema_name\": \"DoclingDocument\", \"body\": {}}, \"markdown\": \"# x\"}")
        .kind()).isEqualTo(TextInput.Kind.DOCLING);
    assertThat(classify("{\"markdown\": \"# Title\\n\\ntext\"}").kind()).isEqualTo(TextInput.Kind.MARKDOWN);
    assertThat(classify("{\"chunks\": [{\"text\": \"a\"}]}").kind()).isEqualTo(TextInput.Kind.CHUNKS);
    assertThat(classify("[\"a\", \"b\"]").kind()).isEqualTo(TextInput.Kind.TEXTS);
    assertThat(classify("{\"texts\": [\"a\"]}").kind()).isEqualTo(TextInput.Kind.TEXTS);
    assertThat(classify("{\"state\": \"succeeded\", \"output\": {\"chunks\": [{\"text\": \"a\"}]}}").kind())
        .isEqualTo(TextInput.Kind.CHUNKS);
    assertThat(classify("# Title\n\nSome text.").kind()).isEqualTo(TextInput.Kind.MARKDOWN);
    assertThat(classify("Just a line of text.\n\nAnother paragraph.").kind()).isEqualTo(TextInput.Kind.PLAIN);
    // looks like JSON but is not: plain text
    assertThat(classify("[1] Smith, J. (2020). A paper.").kind()).isEqualTo(TextInput.Kind.PLAIN);
    assertThat(TextInput.classify("# not a heading".getBytes(StandardCharsets.UTF_8), "plain", null).kind())
        .isEqualTo(TextInput.Kind.PLAIN);
  }

  @Test
  void unknownJsonShapesAndBadOptionsAreInvalidWithAHint() {
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input("{\"foo\": 1}".getBytes(StandardCharsets.UTF_8), "x.json")
        .run(new ChunkHandler(TestServices.get()));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("DoclingDocument").contains("format=plain");

    var bad = HandlerTestKit.forSubject("text.analyze.chunk").input("text".getBytes(StandardCharsets.UTF_8), "x.txt")
        .options("{\"max_tokens\": \"many\"}").run(new ChunkHandler(TestServices.get()));
    assertThat(bad.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(bad.error().getMessage()).contains("max_tokens");

    var arr = HandlerTestKit.forSubject("text.analyze.embed").input("[\"a\", 3]".getBytes(StandardCharsets.UTF_8), "x.json")
        .run(new EmbedHandler(TestServices.get()));
    assertThat(arr.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(arr.error().getMessage()).contains("[1]");
  }
}
