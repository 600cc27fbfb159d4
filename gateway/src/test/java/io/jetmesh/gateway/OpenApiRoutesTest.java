package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document served at /openapi.json describes exactly the routes the server has registered. */
class OpenApiRoutesTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @Test
  void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
    try (Gateway gw = Gateway.builder().diagnostics(true).meshOptions(TestMesh.mesh().options()).clientId("gateway-openapi")
        .host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      Set<String> registered = new TreeSet<>();
      for (String r : gw.registeredRoutes()) {
        if (!r.startsWith("HEAD ") && !r.startsWith("OPTIONS ")) {
          registered.add(r);
        }
      }
      Http.Response resp = new Http(gw.baseUrl()).get("/openapi.json");
      assertThat(resp.status()).isEqualTo(200);
      JsonNode doc = resp.json();
      assertThat(doc.path("openapi").asText()).startsWith("3.");
      Set<String> documented = new TreeSet<>();
      Iterator<String> paths = doc.path("paths").fieldNames();
      while (paths.hasNext()) {
        String path = paths.next();
        Iterator<String> methods = doc.path("paths").path(path).fieldNames();
        while (methods.hasNext()) {
          String m = methods.next();
          if (METHODS.contains(m)) {
            documented.add(m.toUpperCase(Locale.ROOT) + " " + path);
            JsonNode op = doc.path("paths").path(path).path(m);
            assertThat(op.path("responses").size()).as(m + " " + path + " documents its responses").isPositive();
            assertThat(op.path("summary").asText()).as(m + " " + path + " has a summary").isNotBlank();
          }
        }
      }
      assertThat(registered).as("registered routes").hasSizeGreaterThan(15);
      assertThat(documented).as("documented routes").isEqualTo(registered);
    }
  }
}
