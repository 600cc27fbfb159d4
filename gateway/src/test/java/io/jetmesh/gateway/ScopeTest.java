package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void jwtScopesAreOnlyJetmeshsOwnNames() {
    assertThat(Scope.fromJwt("jetmesh:admin")).isEqualTo(Scope.ADMIN);
    assertThat(Scope.fromJwt("jetmesh:read")).isEqualTo(Scope.READ);
    assertThat(Scope.fromJwt("jetmesh:submit")).isEqualTo(Scope.SUBMIT);
    for (String foreign : new String[] {"admin", "billing:admin", "roles:admin", "jetmesh:write", "JETMESH:ADMIN",
        "urn:x:jetmesh:admin", "jetmesh:admin:x", " jetmesh:admin", "", "jetmesh:"}) {
      assertThat(Scope.fromJwt(foreign)).as(foreign).isNull();
    }
    assertThat(Scope.fromJwt(null)).isNull();
  }

  @Test
  void keysFileScopesAreThePlainNames() {
    assertThat(Scope.parse("admin")).isEqualTo(Scope.ADMIN);
    assertThat(Scope.parse("write")).isEqualTo(Scope.SUBMIT);
    assertThat(Scope.parse("billing:admin")).as("the old parser kept the text after ':'").isNull();
    assertThat(Scope.ADMIN.jwtName()).isEqualTo("jetmesh:admin");
  }
}
