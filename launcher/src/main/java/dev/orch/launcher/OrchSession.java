package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.CommandTransport;
import dev.orch.contract.EventBusTransport;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.SchedulerClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a CLI command reaches orch: over the API of the orch already running for the project, or, when none is, through
 * orch's verticles inside this process (answering only, or running agents for {@code orch start}). The CLI's main
 * thread waits on results here; it is never an event-loop thread.
 */
final class OrchSession implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final CommandTransport transport;
  private final Optional<OrchInstance.Running> remote;
  private final WebClient client;

  private OrchSession(Vertx vertx, CommandTransport transport, Optional<OrchInstance.Running> remote, WebClient client) {
    this.vertx = vertx;
    this.transport = transport;
    this.remote = remote;
    this.client = client;
  }

  /** The running orch when there is one, else orch's verticles in this process, answering only. */
  static OrchSession connect(OrchConfig config) {
    Optional<OrchInstance.Running> running = OrchInstance.find(config.general().stateDir());
    if (running.isPresent()) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
      WebClient client = WebClient.create(vertx);
      return new OrchSession(vertx, new HttpTransport(client, running.get()), running, client);
    }
    return inProcess(config, Wiring.Mode.ANSWER_ONLY, Map.of());
  }

  /** orch's verticles in this process, in the given mode. */
  static OrchSession inProcess(OrchConfig config, Wiring.Mode mode, Map<String, String> agentEnv) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
    OrchSession session = new OrchSession(vertx, new EventBusTransport(vertx), Optional.empty(), null);
    try {
      session.await(Wiring.deploy(vertx, config, mode, agentEnv));
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  Vertx vertx() {
    return vertx;
  }

  /** The running orch this session talks to, if it is remote. */
  Optional<OrchInstance.Running> remote() {
    return remote;
  }

  SchedulerClient scheduler() {
    return new SchedulerClient(transport);
  }

  ExecutorClient executor() {
    return new ExecutorClient(transport);
  }

  PrbotClient prbot() {
    return new PrbotClient(transport);
  }

  <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + WAIT.toMinutes() + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      if (client != null) {
        client.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort: the process is about to exit anyway.
    }
  }
}
