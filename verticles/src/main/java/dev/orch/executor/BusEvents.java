package dev.orch.executor;

import dev.orch.contract.Addresses;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import io.vertx.core.eventbus.EventBus;

/** A run's events, published on the executor's event addresses. */
final class BusEvents implements RunEvents {
  private final EventBus bus;

  BusEvents(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public void started(RunView run) {
    bus.publish(Addresses.Executor.EVT_STARTED, run.toJson());
  }

  @Override
  public void output(AgentOutput output) {
    bus.publish(Addresses.Executor.EVT_OUTPUT, output.toJson());
  }

  @Override
  public void finished(RunView run) {
    bus.publish(Addresses.Executor.EVT_FINISHED, run.toJson());
  }

  @Override
  public void touched(RunTouched touched) {
    bus.publish(Addresses.Executor.EVT_TOUCHED, touched.toJson());
  }
}
