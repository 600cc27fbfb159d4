package io.jetmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code .env} files as python-dotenv and docker compose read them (issue 12, defect 7). */
class EnvTest {
  @Test
  void inlineCommentsQuotesAndExportFollowTheDotenvConventions() {
    Map<String, String> env = Env.parseDotEnv(List.of(
        "# a comment line",
        "",
        "NATS_URL=nats://host:4222   # dev",
        "export NATS_TOKEN=s3cret",
        "export  NATS_USER = alice ",
        "NATS_PASSWORD=\"pa#ss word\" # the quotes keep the hash",
        "JETMESH_CLIENT_ID='lit\\eral # kept'",
        "ESCAPED=\"a\\\"b\\nc\"",
        "URL_WITH_HASH=http://x/#frag",
        "EMPTY=",
        "EMPTY_QUOTED=\"\"",
        "not a variable"));
    assertThat(env).containsEntry("NATS_URL", "nats://host:4222")
        .containsEntry("NATS_TOKEN", "s3cret")
        .containsEntry("NATS_USER", "alice")
        .containsEntry("NATS_PASSWORD", "pa#ss word")
        .containsEntry("JETMESH_CLIENT_ID", "lit\\eral # kept")
        .containsEntry("ESCAPED", "a\"b\nc")
        .containsEntry("URL_WITH_HASH", "http://x/#frag")
        .containsEntry("EMPTY", "")
        .containsEntry("EMPTY_QUOTED", "")
        .hasSize(9);
  }
}
