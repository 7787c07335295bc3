package dev.orch.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One build command running in its own working directory, on the coordinator (local fallback) or on a build agent:
 * {@code nix develop --command sh -c CMD} when nix is there and the checkout has a flake (and nix is wanted), else
 * {@code sh -c CMD}. Its stdout and stderr are each read on a thread of their own and handed over in chunks of whole
 * lines as they come; a chunk goes out as soon as nothing more is waiting, so the first line is not held back.
 */
public final class JobProcess {
  private static final int MAX_CHUNK = 64 * 1024;

  /** Which of the command's outputs a chunk came from. */
  public enum Stream {
    STDOUT, STDERR;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Stream fromWire(String text) {
      return "stderr".equals(text) ? STDERR : STDOUT;
    }
  }

  /** Receives output chunks; called from the two reading threads, possibly at the same time. */
  @FunctionalInterface
  public interface Output {
    void accept(Stream stream, String text);
  }

  private final Process process;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private JobProcess(Process process) {
    this.process = process;
  }

  /** The command line for {@code command} in {@code dir}. */
  public static List<String> commandLine(String command, Path dir, boolean useNix) {
    List<String> out = new ArrayList<>();
    if (useNix && Files.isRegularFile(dir.resolve("flake.nix")) && onPath("nix")) {
      out.addAll(List.of("nix", "develop", "--command"));
    }
    out.addAll(List.of("sh", "-c", command));
    return out;
  }

  /**
   * Starts it with {@code env} (never orch's whole environment); {@code output} gets each chunk on a reading thread, and once both outputs are read to their end the exit
   * code completes {@link #exit()}.
   */
  public static JobProcess start(String command, Path dir, boolean useNix, ChildEnvironment env, Output output)
      throws IOException {
    Process process = env.applyTo(new ProcessBuilder(commandLine(command, dir, useNix))).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    JobProcess job = new JobProcess(process);
    CompletableFuture<Void> stdout = job.read(process.getInputStream(), text -> output.accept(Stream.STDOUT, text), "out");
    CompletableFuture<Void> stderr = job.read(process.getErrorStream(), text -> output.accept(Stream.STDERR, text), "err");
    CompletableFuture.allOf(stdout, stderr).whenComplete((v, e) -> {
      try {
        job.exit.complete(process.waitFor());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        job.exit.complete(-1);
      }
    });
    return job;
  }

  private CompletableFuture<Void> read(InputStream in, Consumer<String> output, String name) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      pump(in, output);
      done.complete(null);
    }, "orch-job-" + name + "-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return done;
  }

  private static void pump(InputStream stream, Consumer<String> output) {
    byte[] buffer = new byte[MAX_CHUNK];
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    try (InputStream in = stream) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        pending.write(buffer, 0, read);
        if (in.available() == 0 || pending.size() >= MAX_CHUNK) {
          flush(pending, output, pending.size() >= MAX_CHUNK);
        }
      }
      flush(pending, output, true);
    } catch (IOException e) {
      flush(pending, output, true);
    }
  }

  /** Sends the whole lines waiting (all of it when {@code all}), keeping a partial last line for later. */
  private static void flush(ByteArrayOutputStream pending, Consumer<String> output, boolean all) {
    byte[] bytes = pending.toByteArray();
    int end = bytes.length;
    if (!all) {
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
    }
    if (end == 0) {
      return;
    }
    output.accept(new String(bytes, 0, end, StandardCharsets.UTF_8));
    pending.reset();
    pending.write(bytes, end, bytes.length - end);
  }

  public CompletableFuture<Integer> exit() {
    return exit;
  }

  /** Stops the command and everything it started. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static boolean onPath(String binary) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(folder, binary))) {
        return true;
      }
    }
    return false;
  }
}
