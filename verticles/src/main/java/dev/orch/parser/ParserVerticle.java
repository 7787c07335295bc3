package dev.orch.parser;

import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Parser.Action;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.PlanParsed;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.MessagePaths;
import dev.orch.contract.WriteStatusRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the plan files: reads them on request, off the event loop, tells everyone what it found, writes task statuses
 * back into them (in the checkout it is given), and, when asked to watch, announces changes.
 */
public final class ParserVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ParserVerticle.class);
  private static final long DEBOUNCE_MILLIS = 300;

  /** This verticle's slice of the config. */
  /** {@code worktreeDir}: orch's worktree folder, whose direct children may have status written into them. */
  public record Settings(String projectRoot, String plansDir, boolean watch, String worktreeDir) {
    public Settings {
      OrchConfig.required("general.project_root", projectRoot);
      OrchConfig.required("general.plans_dir", plansDir);
    }

    public static Settings from(OrchConfig config, boolean watch) {
      var g = config.general();
      return new Settings(g.projectRoot().toString(), g.plansDir().toString(), watch, g.worktreeDir().toString());
    }

    /** Status may then be written only into the project itself. */
    public Settings(String projectRoot, String plansDir, boolean watch) {
      this(projectRoot, plansDir, watch, null);
    }
  }

  private final Settings settings;
  private Path projectRoot;
  private Path plansDir;
  private String worktreeDir;
  private PlanReader reader;
  private PlanWatcher watcher;
  private long debounce = -1;
  private List<TaskSpec> lastTasks = List.of();
  private JsonArray lastTasksJson;

  public ParserVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    projectRoot = Path.of(settings.projectRoot());
    plansDir = Path.of(settings.plansDir());
    worktreeDir = settings.worktreeDir();
    reader = new PlanReader(projectRoot, plansDir);
    Future<Void> watching = settings.watch() ? startWatching() : Future.succeededFuture();
    return watching.compose(v -> CommandEndpoint.on(Addresses.Parser.CMD, Action.class)
        .handle(Action.PARSE, this::parse)
        .handle(Action.WRITE_STATUS, body -> writeStatus(WriteStatusRequest.fromJson(body)))
        .registerLocal(vertx));
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) {
      watcher.close();
    }
    return Future.succeededFuture();
  }

  private Future<Void> startWatching() {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> new PlanWatcher(plansDir, () -> context.runOnContext(v -> changed())))
        .onSuccess(w -> watcher = w)
        .mapEmpty();
  }

  private void changed() {
    vertx.cancelTimer(debounce);
    debounce = vertx.setTimer(DEBOUNCE_MILLIS, id -> vertx.eventBus().publish(Addresses.Parser.EVT_CHANGED,
        new JsonObject().put("plans_dir", plansDir.toString())));
  }

  private Future<JsonObject> parse(JsonObject ignored) {
    return vertx.executeBlocking(reader::read).map(snapshot -> {
      announce(snapshot);
      return reply(snapshot);
    });
  }

  /**
   * The snapshot as JSON. When the tasks are the same as in the last reply (a re-sync of an unchanged plan), their JSON
   * is reused instead of converted again: it was most of the reply's cost, and the bus hands the receiver a copy.
   */
  private JsonObject reply(PlanSnapshot snapshot) {
    if (lastTasksJson != null && snapshot.tasks().equals(lastTasks)) {
      return new PlanSnapshot(snapshot.plansDir(), List.of(), snapshot.errors(), snapshot.moduleContexts(),
          snapshot.filesRead(), snapshot.parseMillis()).toJson().put("tasks", lastTasksJson);
    }
    JsonObject json = snapshot.toJson();
    lastTasks = snapshot.tasks();
    lastTasksJson = json.getJsonArray("tasks");
    return json;
  }

  private Future<JsonObject> writeStatus(WriteStatusRequest request) {
    TaskId id = request.taskId();
    Path plansRelative = projectRoot.relativize(plansDir);
    Path root = MessagePaths.statusRoot("root", request.root(), projectRoot,
        worktreeDir == null ? null : Path.of(worktreeDir));
    MessagePaths.planFile("file", request.file(), plansRelative);
    return vertx.executeBlocking(() -> new StatusWriter(root, plansRelative).write(request.file(), id, request.status()))
        .map(changed -> new JsonObject().put("changed", new JsonArray(changed)));
  }

  private void announce(PlanSnapshot snapshot) {
    if (!snapshot.errors().isEmpty()) {
      LOG.warn("plans read with {} problem(s); first: {}", snapshot.errors().size(), snapshot.errors().get(0).describe());
    }
    PlanParsed parsed = new PlanParsed(snapshot.tasks().size(), snapshot.filesRead(), snapshot.parseMillis(), snapshot.errors());
    vertx.eventBus().publish(Addresses.Parser.EVT_PARSED, parsed.toJson());
  }
}
