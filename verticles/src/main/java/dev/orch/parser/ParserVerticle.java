package dev.orch.parser;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Parser.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.PlanParsed;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.WireJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the plan files on request, off the event loop, and tells everyone what it found. */
public final class ParserVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ParserVerticle.class);

  /** This verticle's slice of the config. */
  public record Settings(String projectRoot, String plansDir) implements BusMessage {
    public Settings {
      WireJson.require("project_root", projectRoot);
      WireJson.require("plans_dir", plansDir);
    }
  }

  private PlanReader reader;

  @Override
  public Future<?> start() {
    Settings settings = WireJson.fromJson(config(), Settings.class);
    reader = new PlanReader(Path.of(settings.projectRoot()), Path.of(settings.plansDir()));
    return CommandEndpoint.on(Addresses.Parser.CMD, Action.class)
        .handle(Action.PARSE, this::parse)
        .register(vertx);
  }

  private Future<JsonObject> parse(JsonObject ignored) {
    return vertx.executeBlocking(reader::read).map(snapshot -> {
      announce(snapshot);
      return snapshot.toJson();
    });
  }

  private void announce(PlanSnapshot snapshot) {
    if (!snapshot.errors().isEmpty()) {
      LOG.warn("plans read with {} problem(s); first: {}", snapshot.errors().size(), snapshot.errors().get(0).describe());
    }
    PlanParsed parsed = new PlanParsed(snapshot.tasks().size(), snapshot.filesRead(), snapshot.parseMillis(), snapshot.errors());
    vertx.eventBus().publish(Addresses.Parser.EVT_PARSED, parsed.toJson());
  }
}
