package dev.orch.contract;

/**
 * A request that asks an owner to act. Unlike an event, which a newer sender may extend for newer readers, a command
 * with a field its owner does not know is refused, naming the field: a misspelt option must not be dropped silently.
 */
public interface Command extends BusMessage {
}
