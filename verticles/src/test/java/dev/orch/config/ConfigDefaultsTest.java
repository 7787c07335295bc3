package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.batch.BatchSettings;
import dev.orch.buildpool.BuildPoolSettings;
import dev.orch.executor.ExecutorSettings;
import dev.orch.footprint.FootprintMode;
import dev.orch.notifier.NotifierVerticle;
import dev.orch.parser.ParserVerticle;
import dev.orch.prbot.PrbotVerticle;
import dev.orch.scheduler.SchedulerSettings;
import dev.orch.shell.ShellVerticle;
import dev.orch.web.WebVerticle;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each default is written once, in {@link ConfigSchema}: it reaches {@link OrchConfig}'s typed field and, through each
 * verticle's {@code Settings.from}, the verticle, with nothing on the way putting in a default of its own.
 */
class ConfigDefaultsTest {
  /**
   * Keys whose field is not simply section + camel-cased name: the cluster keys live in their own record,
   * batch.at_deadline is read as a flag, and review's categories are a map.
   */
  private static final Map<String, String> FIELD_OF = Map.ofEntries(
      Map.entry("build_pool.cluster_host", "build_pool.cluster.host"),
      Map.entry("build_pool.cluster_port", "build_pool.cluster.port"),
      Map.entry("build_pool.cluster_name", "build_pool.cluster.name"),
      Map.entry("build_pool.cluster_secret", "build_pool.cluster.secret"),
      Map.entry("build_pool.cluster_members", "build_pool.cluster.members"),
      Map.entry("build_pool.eventbus_port", "build_pool.cluster.event_bus_port"),
      Map.entry("build_pool.advertise_host", "build_pool.cluster.advertise_host"),
      Map.entry("build_pool.tls.key_store", "build_pool.cluster.key_store"),
      Map.entry("build_pool.tls.key_store_password", "build_pool.cluster.key_store_password"),
      Map.entry("build_pool.tls.trust_store", "build_pool.cluster.trust_store"),
      Map.entry("build_pool.tls.trust_store_password", "build_pool.cluster.trust_store_password"),
      Map.entry("batch.at_deadline", "batch.stop_at_deadline"));

  @TempDir
  Path root;

  @Test
  void everyKeyOfTheSchemaReachesItsTypedFieldWithTheSchemasDefault() {
    OrchConfig defaults = ConfigLoader.defaults(root);
    Map<String, Object> fields = new LinkedHashMap<>();
    flatten("", defaults, fields);
    UserDirs home = UserDirs.fromEnvironment();
    for (ConfigKey<?> key : ConfigSchema.keys()) {
      if (key.kind() == ConfigKey.Kind.RETIRED || key == ConfigSchema.PROJECT_ROOT) {
        continue;
      }
      String field = FIELD_OF.getOrDefault(key.path(), key.path().matches("review\\.\\w+\\.\\w+")
          ? key.path().replace("review.", "review.categories.") : key.path());
      assertThat(fields).as("the field %s read from config key %s", field, key.path()).containsKey(field);
      assertThat(fields.get(field)).as("%s at its schema default", key.path()).isEqualTo(typed(key, home));
    }
    assertThat(fields.get("general.project_root")).isEqualTo(root.toAbsolutePath().normalize());
  }

  @Test
  void everyVerticleIsBuiltFromTheSchemasDefaultsAndAddsNoneOfItsOwn() {
    OrchConfig defaults = ConfigLoader.defaults(root);

    var executor = ExecutorSettings.from(defaults, null, "", Map.of(), true);
    assertThat(executor.general()).isSameAs(defaults.general());
    assertThat(executor.general().branchPrefix()).isEqualTo(schemaDefault("general.branch_prefix"));
    assertThat(executor.claude()).isSameAs(defaults.claude());
    assertThat(executor.executor()).isSameAs(defaults.executor());
    assertThat(executor.promptFolders()).isEqualTo(defaults.prompts().folders()).contains(defaults.prompts().overrideDir());

    var prbot = PrbotVerticle.Settings.from(defaults, true);
    assertThat(prbot.forge().mergeMethod()).isEqualTo(schemaDefault("forge.merge_method"));
    assertThat(prbot.forge().updateMethod()).isEqualTo(schemaDefault("forge.update_method"));
    assertThat(prbot.checks()).isSameAs(defaults.checks());
    assertThat(prbot.checks().timeout()).isEqualTo(ConfigLoader.parseDuration((String) schemaDefault("checks.timeout")));
    assertThat(prbot.checks().outputBudgetChars()).isEqualTo(schemaDefault("checks.output_budget_chars"));
    assertThat(prbot.review().maxChangedLines()).isEqualTo(schemaDefault("review.max_changed_lines"));
    assertThat(prbot.github()).isSameAs(defaults.github());

    var scheduler = SchedulerSettings.from(defaults, true, true);
    assertThat(scheduler.general()).isSameAs(defaults.general());
    assertThat(scheduler.retries()).isSameAs(defaults.scheduler());
    assertThat(scheduler.retries().retryBaseDelay())
        .isEqualTo(ConfigLoader.parseDuration((String) schemaDefault("scheduler.retry_base_delay")));
    assertThat(scheduler.retries().retryMaxDelay())
        .isEqualTo(ConfigLoader.parseDuration((String) schemaDefault("scheduler.retry_max_delay")));
    assertThat(scheduler.general().maxParallelAgents()).isEqualTo(schemaDefault("general.max_parallel_agents"));
    assertThat(SchedulerSettings.storeOnly(root.resolve("orch.db")).retries()).isEqualTo(defaults.scheduler());

    var pool = BuildPoolSettings.from(defaults, true);
    assertThat(pool.keepJobs()).isEqualTo(schemaDefault("build_pool.keep_jobs"));
    assertThat(pool.defaultTimeoutSecs()).isEqualTo(schemaDefault("build_pool.timeouts.job_default_secs"));
    assertThat(pool.heartbeatIntervalSecs()).isEqualTo(schemaDefault("build_pool.timeouts.heartbeat_interval_secs"));
    assertThat(pool.heartbeatTimeoutSecs()).isEqualTo(schemaDefault("build_pool.timeouts.heartbeat_timeout_secs"));
    assertThat(pool.maxJobSecs()).isEqualTo(schemaDefault("build_pool.timeouts.job_max_secs"));
    assertThat(pool.maxJobOutputBytes()).isEqualTo((long) (int) schemaDefault("build_pool.max_job_output_mib") << 20);
    assertThat(pool.keepJobsBytes()).isEqualTo((long) (int) schemaDefault("build_pool.keep_jobs_mib") << 20);
    assertThat(pool.localMaxJobs()).isEqualTo(schemaDefault("build_pool.local_fallback.max_jobs"));
    var shortPool = new BuildPoolSettings(root.toString(), "db", "logs", true, 1, "local", 1, 1, 2, 1, false,
        "127.0.0.1", 0, "127.0.0.1", true);
    assertThat(List.of(shortPool.maxJobSecs(), shortPool.maxJobOutputBytes(), shortPool.keepJobsBytes()))
        .containsExactly(pool.maxJobSecs(), pool.maxJobOutputBytes(), pool.keepJobsBytes());

    var shell = ShellVerticle.Settings.from(defaults);
    assertThat(shell.sshHost()).isEqualTo(schemaDefault("shell.ssh_host"));
    assertThat(shell.sshUser()).isEqualTo(schemaDefault("shell.ssh_user"));
    assertThat(shell.telnetEnabled()).isEqualTo(schemaDefault("shell.telnet_enabled"));

    var web = WebVerticle.Settings.from(defaults.web(), "cli-token");
    assertThat(web.host()).isEqualTo(schemaDefault("web.host"));
    assertThat(web.port()).isEqualTo(schemaDefault("web.port"));

    var notifier = NotifierVerticle.Settings.from(defaults.notifications());
    assertThat(notifier.desktopEvents()).isEqualTo(schemaDefault("notifications.desktop_events"));
    assertThat(notifier.slackEvents()).isEqualTo(schemaDefault("notifications.slack_events"));

    var batch = BatchSettings.from(defaults, BatchSettings.Runs.ON_SCHEDULE);
    assertThat(batch.batch()).isSameAs(defaults.batch());
    assertThat(batch.batch().stopAtDeadline()).isFalse();
    assertThat(ParserVerticle.Settings.from(defaults, false).plansDir())
        .isEqualTo(defaults.general().plansDir().toString());
  }

  @Test
  void aSettingWithoutItsValueNamesTheKey() {
    OrchConfig defaults = ConfigLoader.defaults(root);
    assertThatThrownBy(() -> new SchedulerSettings(defaults.general().withMaxParallelAgents(0), defaults.scheduler(),
        true, true))
        .hasMessageContaining("general.max_parallel_agents");
    assertThatThrownBy(() -> new ExecutorSettings(defaults.general(), defaults.claude(), defaults.executor(), null,
        new JsonObject(), "", Map.of(), true, defaults.childEnvironment()))
        .hasMessageContaining("prompts.override_dir");
    assertThatThrownBy(() -> new BuildPoolSettings(root.toString(), "db", "logs", true, 1, "local", 0, 1, 2, 1,
        false, "127.0.0.1", 0, "127.0.0.1", true))
        .hasMessageContaining("build_pool.timeouts.job_default_secs");
  }

  private static Object schemaDefault(String path) {
    return ConfigSchema.key(path).orElseThrow().defaultValue();
  }

  /** The schema's default in the type its field holds. */
  private Object typed(ConfigKey<?> key, UserDirs home) {
    Object value = key.defaultValue();
    return switch (key.kind()) {
      case DURATION -> ConfigLoader.parseDuration((String) value);
      case PATH -> {
        String template = (String) value;
        yield template.startsWith("~/") ? Path.of(home.expand(template))
            : Path.of(template.replace("${project_root}", root.toAbsolutePath().normalize().toString()));
      }
      case CHOICE -> key.path().equals("batch.at_deadline") ? value.equals("stop")
          : key.path().equals("scheduler.footprint") ? FootprintMode.fromWire((String) value) : value;
      default -> value;
    };
  }

  /** Every leaf of the record tree under its dotted snake-case path; maps add their keys as one more level. */
  private static void flatten(String prefix, Object value, Map<String, Object> out) {
    if (value instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          flatten(prefix + snake(component.getName()), component.getAccessor().invoke(record), out);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix + k + ".", v, out));
      return;
    }
    out.put(prefix.substring(0, prefix.length() - 1), value);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT) + ".";
  }
}
