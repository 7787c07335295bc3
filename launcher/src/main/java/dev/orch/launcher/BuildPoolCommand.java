package dev.orch.launcher;

import dev.orch.text.StatusText;
import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.JobProgress;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.WorkerView;
import dev.orch.mcp.WorktreeSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "build-pool", description = "The build pool: its coordinator, build agents and jobs.",
    subcommands = {BuildPoolCommand.Start.class, BuildPoolCommand.Status.class, BuildPoolCommand.Jobs.class,
        BuildPoolCommand.Logs.class, BuildPoolCommand.Cancel.class, BuildPoolCommand.Run.class})
final class BuildPoolCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Command(name = "start", description = {"Run only the build pool's coordinator (orch run includes it): the job queue,",
      "the clustered event bus build agents join (with build_pool.enabled), the git daemon, and the MCP endpoint.",
      "Ctrl-C stops it."})
  static final class Start implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      ConfigLoader.Loaded loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec);
      OrchConfig config = loaded.config();
      PrintWriter out = spec.commandLine().getOut();
      var bp = config.buildPool();
      out.println("Build pool coordinator starting...");
      out.flush();
      Orchestrator orch = Orchestrator.start(config, Wiring.Mode.POOL_ONLY, Map.of());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        out.println("Build pool coordinator stopping (running jobs start again with the next coordinator)");
        out.flush();
        orch.close();
        stopped.countDown();
      }, "orch-shutdown"));
      PoolStatus status = orch.session().await(orch.session().buildPool().status());
      if (bp.enabled()) {
        var cluster = bp.cluster().settings();
        out.printf("  Cluster:    %s:%d (name %s, %s%s)%n", cluster.host(), cluster.port(), cluster.name(),
            cluster.tls() ? "TLS with client certificates" : "no TLS", cluster.secret().isEmpty() ? "" : ", secret set");
        out.printf("  Git daemon: %s%n", status.gitDaemon());
      } else {
        out.println("  build_pool.enabled is false: no build agent can join; jobs run on this host");
      }
      out.printf("  Local fallback: %s%n", bp.localFallback().enabled()
          ? "up to " + bp.localFallback().maxJobs() + " jobs when no agent is connected" : "off");
      out.printf("  MCP:        http://127.0.0.1:%d/mcp%n", orch.session().mcpPort());
      out.printf("  API:        %s%n", orch.apiUrl());
      out.println("Ctrl-C to stop.");
      out.flush();
      printEvents(orch, out);
      stopped.await();
      return ExitCodes.OK;
    }

    private static void printEvents(Orchestrator orch, PrintWriter out) {
      var bus = orch.session().vertx().eventBus();
      bus.<JsonObject>consumer(Addresses.BuildPool.EVT_WORKER, m -> {
        WorkerView worker = WorkerView.fromJson(m.body());
        print(out, "agent " + worker.workerId() + (worker.alive() ? " joined with " + worker.slots() + " slots" : " left"));
      });
      bus.<JsonObject>consumer(Addresses.BuildPool.EVT_JOB, m -> {
        JobView job = JobView.fromJson(m.body());
        if (job.state() == JobView.State.RUNNING) {
          print(out, "job " + job.jobId() + " " + job.label() + " running on " + job.worker() + ": " + job.command());
        } else if (job.state().done()) {
          print(out, "job " + job.jobId() + " " + job.label() + " " + job.state().wire()
              + (job.exitCode() == null ? "" : " (exit " + job.exitCode() + ")")
              + String.format(" in %.1f s", (job.endedAt() - job.startedAt()) / 1000.0));
        }
      });
    }

    private static void print(PrintWriter out, String line) {
      synchronized (out) {
        out.println(TIME.format(Instant.now()) + " " + line);
        out.flush();
      }
    }
  }

  @Command(name = "status", description = "The coordinator, the connected build agents and their slots, the queue.")
  static final class Status extends LocalCommand {
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      PoolStatus status = orch.await(orch.buildPool().status());
      if (json) {
        out().println(status.toJson().encodePrettily());
        return ExitCodes.OK;
      }
      print(out(), status, config);
      return ExitCodes.OK;
    }

    static void print(PrintWriter out, PoolStatus status, OrchConfig config) {
      StatusText.pool(out, status, config.buildPool().localFallback().enabled());
    }
  }

  @Command(name = "jobs", description = "The latest build jobs.")
  static final class Jobs extends LocalCommand {
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print one JSON array.")
    boolean json;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      List<JobView> jobs = orch.await(orch.buildPool().jobs(limit));
      if (json) {
        out().println(new JsonArray(jobs.stream().map(JobView::toJson).toList()).encodePrettily());
        return ExitCodes.OK;
      }
      if (jobs.isEmpty()) {
        out().println("No build jobs yet.");
        return ExitCodes.OK;
      }
      out().printf("%-6s %-10s %-11s %-5s %-16s %-9s %s%n", "JOB", "KIND", "STATE", "EXIT", "WHERE", "TIME", "COMMAND");
      for (JobView job : jobs) {
        out().printf("%-6d %-10s %-11s %-5s %-16s %-9s %s%n", job.jobId(), job.label(), job.state().wire(),
            job.exitCode() == null ? "-" : job.exitCode().toString(), job.worker() == null ? "-" : job.worker(),
            job.endedAt() > 0 ? String.format("%.1fs", (job.endedAt() - job.startedAt()) / 1000.0) : "-", job.command());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "logs", description = "A build job's output; -f follows it until the job ends.")
  static final class Logs extends LocalCommand {
    @Parameters(paramLabel = "JOB", description = "The job's number.")
    long jobId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the job ends.")
    boolean follow;

    @Option(names = "--stream", paramLabel = "S", description = "all (default), stdout or stderr.")
    String stream;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      if (stream != null && !stream.equals("all")) {
        out().print(orch.await(orch.buildPool().output(jobId, stream, 0, 8 << 20)).text());
        out().flush();
        return ExitCodes.OK;
      }
      JobView done = followJob(orch, jobId, out(), follow);
      return follow ? exitCodeOf(done) : ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = "Stop a queued or running build job.")
  static final class Cancel extends LocalCommand {
    @Parameters(paramLabel = "JOB", description = "The job's number.")
    long jobId;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      JobView job = orch.await(orch.buildPool().cancel(jobId));
      out().printf("job %d: %s%n", job.jobId(), job.state().wire());
      return ExitCodes.OK;
    }
  }

  @Command(name = "run", description = {"Run a command on the build pool at the current state of this checkout",
      "(uncommitted changes included, as the MCP tools do), print its output and exit with its exit code."})
  static final class Run extends LocalCommand {
    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = {"The command and its arguments, kept as given:",
        "each word is quoted for sh -c, so none is shell syntax (write sh -c '...' for a pipeline)."})
    List<String> command;

    @Option(names = "--timeout", paramLabel = "SECS", description = "Stop it after this many seconds.")
    int timeoutSecs;

    @Option(names = "--dir", paramLabel = "DIR", description = "The checkout to snapshot (default: the current folder).")
    Path dir;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      Path checkout = (dir == null ? Path.of("") : dir).toAbsolutePath();
      WorktreeSnapshot.Snapshot snapshot = WorktreeSnapshot.take(checkout);
      JobView job = orch.await(orch.buildPool().submit(new JobRequest(snapshot.commit(), snapshot.ref(),
          ShellWords.quote(command), timeoutSecs, "command", null)));
      err().printf("job %d at %s%n", job.jobId(), snapshot.commit().substring(0, 12));
      err().flush();
      return exitCodeOf(followJob(orch, job.jobId(), out(), true));
    }
  }

  /** Prints the job's output (to its end when following) and returns the job as it was last seen. */
  static JobView followJob(OrchSession orch, long jobId, PrintWriter out, boolean follow) {
    long offset = 0;
    while (true) {
      JobProgress progress = orch.await(orch.buildPool().follow(jobId, offset, 1 << 20, follow ? 10_000 : 0));
      out.print(progress.text());
      out.flush();
      offset = progress.nextOffset();
      if (progress.finished() || !follow && progress.text().isEmpty()) {
        return progress.job();
      }
    }
  }

  static int exitCodeOf(JobView job) {
    if (job.state() == JobView.State.SUCCEEDED) {
      return ExitCodes.OK;
    }
    return job.exitCode() != null && job.exitCode() > 0 && job.exitCode() < 126 ? job.exitCode() : ExitCodes.FAILURE;
  }
}
