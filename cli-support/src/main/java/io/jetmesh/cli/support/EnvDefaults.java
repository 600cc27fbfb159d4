package io.jetmesh.cli.support;

import io.jetmesh.client.Env;
import java.lang.reflect.AccessibleObject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Resolves an option default written {@code ${env:NAME}} or {@code ${env:NAME:-fallback}} against the process
 * environment merged over {@code .env} ({@link Env#load()}), where picocli's own interpolation reads the process
 * environment only: so a command's own settings come from {@code .env} as its connection settings do. Other
 * defaults are left to picocli. Use it as {@code @Command(defaultValueProvider = EnvDefaults.class)}, which also
 * holds when the command is a subcommand of another.
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?}");

  private Map<String, String> env;

  /** Defaults from {@link Env#load()}, read when the first default is asked for. */
  public EnvDefaults() {}

  private EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Defaults from {@code env} (tests). */
  public static EnvDefaults of(Map<String, String> env) {
    return new EnvDefaults(env);
  }

  /** Installs the defaults on {@code cl} and its subcommands. */
  public CommandLine install(CommandLine cl) {
    cl.setDefaultValueProvider(this);
    return cl;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    String raw = annotatedDefault(arg);
    if (raw == null) {
      return null;
    }
    Matcher m = ENV_DEFAULT.matcher(raw);
    if (!m.matches()) {
      return null;
    }
    if (env == null) {
      env = Env.load();
    }
    String value = env.get(m.group(1));
    return value != null && !value.isBlank() ? value : m.group(2);
  }

  /** The default as written in the annotation, before picocli interpolates it. */
  private static String annotatedDefault(ArgSpec arg) {
    if (arg.userObject() instanceof AccessibleObject member) {
      CommandLine.Option o = member.getAnnotation(CommandLine.Option.class);
      if (o != null) {
        return CommandLine.Option.NULL_VALUE.equals(o.defaultValue()) || o.defaultValue().isEmpty()
            ? null : o.defaultValue();
      }
      CommandLine.Parameters p = member.getAnnotation(CommandLine.Parameters.class);
      if (p != null) {
        return CommandLine.Parameters.NULL_VALUE.equals(p.defaultValue()) ? null : p.defaultValue();
      }
    }
    return null;
  }
}
