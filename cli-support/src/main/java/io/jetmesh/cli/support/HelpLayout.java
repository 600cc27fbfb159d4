package io.jetmesh.cli.support;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code --help} layout of every jetmesh command and worker: a short synopsis ({@code [OPTIONS]}), the options a
 * command is about first in the order they are declared, then the connection options ({@link NatsConnectionOptions},
 * {@link ConnectionOptions}, and a {@code --client-id} a command declares itself, as the gateway does) under their own
 * heading, so the dozen connection settings do not crowd out what the command does.
 */
public final class HelpLayout {
  static final String CONNECTION_HEADING = "%nConnection (each falls back to its environment variable, also read from"
      + " ./.env):%n";

  private HelpLayout() {}

  /** Applies the layout to {@code cl} and all its subcommands (call after adding them). */
  public static CommandLine apply(CommandLine cl) {
    Set<String> connection = connectionOptionNames();
    applyTo(cl, connection);
    return cl;
  }

  private static void applyTo(CommandLine cl, Set<String> connection) {
    cl.getCommandSpec().usageMessage().abbreviateSynopsis(true).sortOptions(false);
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
      List<OptionSpec> own = new ArrayList<>();
      List<OptionSpec> conn = new ArrayList<>();
      for (OptionSpec o : help.commandSpec().options()) {
        if (!o.hidden()) {
          (connection.contains(o.longestName()) ? conn : own).add(o);
        }
      }
      String text = help.optionListExcludingGroups(own, help.createDefaultLayout(), null,
          help.createDefaultParamLabelRenderer());
      if (!conn.isEmpty()) {
        text += help.createHeading(CONNECTION_HEADING) + help.optionListExcludingGroups(conn,
            help.createDefaultLayout(), null, help.createDefaultParamLabelRenderer());
      }
      return text;
    });
    for (CommandLine sub : cl.getSubcommands().values()) {
      applyTo(sub, connection);
    }
  }

  /** The long names of the options {@link ConnectionOptions} and its superclass declare. */
  static Set<String> connectionOptionNames() {
    Set<String> names = new HashSet<>();
    for (Class<?> c = ConnectionOptions.class; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
        if (o != null) {
          for (String n : o.names()) {
            names.add(n);
          }
        }
      }
    }
    return names;
  }
}
