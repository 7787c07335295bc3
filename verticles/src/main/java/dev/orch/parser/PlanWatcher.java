package dev.orch.parser;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plans folder and every folder below it (new ones included) and calls back on any change. The blocking
 * wait runs on its own daemon thread, never on an event loop; the callback hops back onto the verticle's context.
 */
final class PlanWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlanWatcher.class);

  private final Path root;
  private final Runnable onChange;
  private final WatchService service;
  private final Thread thread;

  PlanWatcher(Path root, Runnable onChange) throws IOException {
    this.root = root;
    this.onChange = onChange;
    this.service = FileSystems.getDefault().newWatchService();
    registerTree(root);
    this.thread = new Thread(this::loop, "orch-plan-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void registerTree(Path start) throws IOException {
    if (!Files.isDirectory(start)) {
      return;
    }
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
            StandardWatchEventKinds.ENTRY_MODIFY);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = service.take();
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path name) {
            Path created = dir.resolve(name);
            if (Files.isDirectory(created)) {
              registerTree(created);
            }
          }
        }
        key.reset();
        onChange.run();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: orch is stopping
    } catch (IOException e) {
      LOG.warn("watching {} stopped: {}", root, e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the plan watcher", e);
    }
  }
}
