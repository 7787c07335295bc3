package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Asks the parser to read the plans. */
public final class ParserClient extends BusClient {
  public ParserClient(Vertx vertx) {
    super(new EventBusTransport(vertx), Addresses.Parser.CMD, Duration.ofSeconds(120));
  }

  public Future<Void> writeStatus(WriteStatusRequest request) {
    return request(Addresses.Parser.Action.WRITE_STATUS, request.toJson()).mapEmpty();
  }

  public Future<PlanSnapshot> parse() {
    return requestObject(Addresses.Parser.Action.PARSE, null).map(PlanSnapshot::fromJson);
  }
}
