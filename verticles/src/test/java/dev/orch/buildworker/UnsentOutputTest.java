package dev.orch.buildworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.process.JobProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** M4: an agent keeps a bounded amount of output the coordinator has not taken, in pieces of at most 64K. */
class UnsentOutputTest {
  static List<UnsentOutput.Piece> drain(UnsentOutput unsent) {
    List<UnsentOutput.Piece> out = new ArrayList<>();
    for (UnsentOutput.Piece piece = unsent.poll(); piece != null; piece = unsent.poll()) {
      out.add(piece);
    }
    return out;
  }

  @Test
  void m4_pieces_merge_per_stream_in_order_and_never_exceed_64k() {
    UnsentOutput unsent = new UnsentOutput();
    unsent.add(JobProcess.Stream.STDOUT, "a".repeat(100_000));
    unsent.add(JobProcess.Stream.STDOUT, "b");
    unsent.add(JobProcess.Stream.STDERR, "c");
    List<UnsentOutput.Piece> pieces = drain(unsent);
    assertThat(pieces).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(UnsentOutput.MAX_PIECE));
    assertThat(pieces).extracting(UnsentOutput.Piece::stream).containsExactly(JobProcess.Stream.STDOUT,
        JobProcess.Stream.STDOUT, JobProcess.Stream.STDERR);
    assertThat(String.join("", pieces.stream().map(UnsentOutput.Piece::text).toList()))
        .isEqualTo("a".repeat(100_000) + "b" + "c");
    assertThat(unsent.isEmpty()).isTrue();
    assertThat(unsent.chars()).isZero();
  }

  @Test
  void m4_past_8m_characters_output_is_dropped_with_one_marker_until_some_is_taken() {
    assertThat(UnsentOutput.MAX_CHARS).isEqualTo(8L * 1024 * 1024);
    UnsentOutput unsent = new UnsentOutput(200);
    unsent.add(JobProcess.Stream.STDOUT, "x".repeat(150));
    unsent.add(JobProcess.Stream.STDOUT, "y".repeat(100));
    unsent.add(JobProcess.Stream.STDOUT, "z".repeat(100));
    String held = String.join("", drain(unsent).stream().map(UnsentOutput.Piece::text).toList());
    assertThat(held).isEqualTo("x".repeat(150) + UnsentOutput.DROPPED);
    unsent.add(JobProcess.Stream.STDOUT, "after");
    assertThat(drain(unsent)).extracting(UnsentOutput.Piece::text).containsExactly("after");
  }

  @Test
  void m4_a_surrogate_pair_is_never_split_between_pieces() {
    UnsentOutput unsent = new UnsentOutput();
    unsent.add(JobProcess.Stream.STDOUT, "a".repeat(UnsentOutput.MAX_PIECE - 1) + "😀" + "b");
    List<UnsentOutput.Piece> pieces = drain(unsent);
    assertThat(pieces).allSatisfy(p -> assertThat(Character.isHighSurrogate(p.text().charAt(p.text().length() - 1)))
        .isFalse());
    assertThat(String.join("", pieces.stream().map(UnsentOutput.Piece::text).toList())).endsWith("😀b");
  }
}
