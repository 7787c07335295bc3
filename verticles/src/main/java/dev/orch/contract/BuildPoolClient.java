package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/** The build pool's commands, typed: over the bus inside orch, over the API from the MCP server and the CLI. */
public final class BuildPoolClient extends BusClient {
  public BuildPoolClient(Vertx vertx) {
    this(new EventBusTransport(vertx));
  }

  public BuildPoolClient(CommandTransport transport) {
    super(transport, Addresses.BuildPool.CMD, Duration.ofSeconds(30));
  }

  public Future<JobView> submit(JobRequest request) {
    return requestObject(Addresses.BuildPool.Action.SUBMIT, request.toJson()).map(JobView::fromJson);
  }

  public Future<JobView> job(long jobId) {
    return requestObject(Addresses.BuildPool.Action.JOB, new JobRef(jobId).toJson()).map(JobView::fromJson);
  }

  public Future<List<JobView>> jobs(int limit) {
    return requestList(Addresses.BuildPool.Action.JOBS, new JobsQuery(limit).toJson(), "jobs", JobView::fromJson);
  }

  public Future<JobView> cancel(long jobId) {
    return requestObject(Addresses.BuildPool.Action.CANCEL, new JobRef(jobId).toJson()).map(JobView::fromJson);
  }

  /** Output from {@code offset} on (at most {@code max} bytes): all of it, or only {@code stream} (stdout, stderr). */
  public Future<JobOutput> output(long jobId, String stream, long offset, int max) {
    return requestObject(Addresses.BuildPool.Action.OUTPUT, new OutputQuery(jobId, stream, offset, max, null).toJson())
        .map(JobOutput::fromJson);
  }

  /**
   * Output from {@code offset} on and the job's state; when there is none yet and the job still runs, the answer waits
   * up to {@code waitMillis} for some.
   */
  public Future<JobProgress> follow(long jobId, long offset, int max, long waitMillis) {
    return requestObject(Addresses.BuildPool.Action.FOLLOW, new OutputQuery(jobId, null, offset, max, waitMillis).toJson())
        .map(JobProgress::fromJson);
  }

  public Future<PoolStatus> status() {
    return requestObject(Addresses.BuildPool.Action.STATUS, null).map(PoolStatus::fromJson);
  }
}
