package dev.orch.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ParserClient;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The parser reuses the JSON of unchanged tasks in its reply; what arrives must be what a fresh read gives. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ParserVerticleReplyTest {
  @TempDir
  Path root;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private PlanSnapshot fresh() {
    return new PlanReader(root, root.resolve("docs/plans")).read();
  }

  @Test
  void repliesMatchAFreshReadThroughUnchangedAndChangedPlans(Vertx vertx) throws Exception {
    Path plans = Files.createDirectories(root.resolve("docs/plans/billing"));
    Files.writeString(plans.resolve("epic-01-a.md"), "# A\n");
    Path second = Files.writeString(plans.resolve("epic-02-b.md"), "---\npriority: high\n---\n# B\n- [x] one\n");
    var settings = new ParserVerticle.Settings(root.toString(), root.resolve("docs/plans").toString(), false);
    await(vertx.deployVerticle(new ParserVerticle(settings)));
    ParserClient client = new ParserClient(vertx);

    PlanSnapshot first = await(client.parse());
    PlanSnapshot again = await(client.parse());
    assertThat(first.tasks()).isEqualTo(fresh().tasks()).hasSize(2);
    assertThat(again.tasks()).isEqualTo(first.tasks());
    assertThat(again.errors()).isEqualTo(first.errors());

    Files.writeString(second, "---\npriority: bogus\n---\n# B2\n");
    PlanSnapshot changed = await(client.parse());
    assertThat(changed.tasks()).isEqualTo(fresh().tasks()).extracting(TaskSpec::title).containsExactly("A", "B2");
    assertThat(changed.errors()).isEqualTo(fresh().errors()).isNotEmpty();
    assertThat(await(client.parse()).tasks()).isEqualTo(changed.tasks());
  }
}
