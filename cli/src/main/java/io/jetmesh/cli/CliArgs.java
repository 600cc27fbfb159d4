package io.jetmesh.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Argument checks every command runs before it connects or starts anything; failures are usage errors (exit 2). */
final class CliArgs {
  private CliArgs() {}

  /**
   * The value of a JSON-object option ({@code --options}): an empty object when absent. A malformed value is a
   * usage error naming the option, the position and what the parser expected, without parser internals.
   */
  static ObjectNode jsonObject(CommandSpec spec, String option, String json) {
    if (json == null || json.isBlank()) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at column " + at.getColumnNr() + (at.getLineNr() > 1 ? " of line " + at.getLineNr() : "");
      String why = e.getOriginalMessage().replaceAll("\\s+", " ");
      throw new CommandLine.ParameterException(spec.commandLine(), option + " is not valid JSON" + where + ": " + why
          + " (expected an object, e.g. " + option + " '{\"to_formats\":[\"md\"]}')");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a JSON object ({...}), not "
          + (node == null ? "nothing" : "a " + node.getNodeType().name().toLowerCase()));
    }
    return object;
  }

  /** The subject checked against namespaces.yaml: a usage error naming the known services when it is not a job subject. */
  static void subject(CommandSpec spec, io.jetmesh.cli.support.ConnectionOptions connection, String subject) {
    try {
      connection.registry().requireSubject(subject);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
