package dev.orch.shell;

import dev.orch.contract.OrchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shell command's arguments, parsed the way the CLI's options read: {@code --name value}, {@code --name=value},
 * flags, short aliases. Anything unknown is a bad request naming it, so a typo never runs something else.
 */
final class Args {
  final List<String> positional = new ArrayList<>();
  private final Map<String, String> values = new HashMap<>();

  static Args parse(List<String> raw, Set<String> flags, Set<String> valued, Map<String, String> aliases) {
    Args args = new Args();
    for (int i = 0; i < raw.size(); i++) {
      String token = raw.get(i);
      if (!token.startsWith("-") || token.equals("-")) {
        args.positional.add(token);
        continue;
      }
      String name = token;
      String value = null;
      int equals = token.indexOf('=');
      if (token.startsWith("--") && equals > 0) {
        name = token.substring(0, equals);
        value = token.substring(equals + 1);
      }
      name = aliases.getOrDefault(name, name);
      if (flags.contains(name) && value == null) {
        args.values.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= raw.size()) {
            throw OrchException.badRequest("option " + name + " needs a value");
          }
          value = raw.get(++i);
        }
        args.values.put(name, value);
      } else {
        throw OrchException.badRequest("unknown option " + token);
      }
    }
    return args;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String value(String name) {
    return values.get(name);
  }

  String only(String what) {
    if (positional.size() != 1) {
      throw OrchException.badRequest("give one " + what);
    }
    return positional.get(0);
  }
}
