package dev.orch.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns on Vert.x's Micrometer metrics (event bus, HTTP server and client, pools) into a Prometheus registry known by
 * {@code registry}. Every Vert.x instance of one orch (its own, and the agent bus that joins the build pool's cluster)
 * is set up with the same name and so shares one registry: the bus figures of both add up in one scrape.
 */
public final class VertxMetricsSetup {
  private VertxMetricsSetup() {
  }

  /** A name of its own for each orch in the JVM: tests run several, and the registries are looked up by name. */
  public static String newRegistryName() {
    return "orch-" + java.util.UUID.randomUUID();
  }

  public static VertxOptions enable(VertxOptions options, String registry) {
    // Vert.x's default labels, and the event-bus address: orch's addresses are a fixed set (one more per build worker),
    // and replies' own addresses are internal, which Vert.x leaves out.
    Set<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.add(Label.EB_ADDRESS);
    return options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName(registry)
        .setLabels(labels).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true)));
  }
}
