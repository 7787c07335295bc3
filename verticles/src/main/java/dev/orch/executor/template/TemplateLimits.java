package dev.orch.executor.template;

/**
 * Bounds on what one template may make orch do, since an override is text anyone with write access to a prompt
 * folder controls: without them a short template could fill the heap, overflow the stack or hold a worker thread.
 * Each is far above what a prompt needs.
 */
final class TemplateLimits {
  /** Blocks and parentheses inside one another, counted together; also bounds the recursion of parse and render. */
  static final int MAX_NESTING = 100;
  /** Times all of a template's ranges together go round in one rendering. */
  static final int MAX_RANGE_ITERATIONS = 10_000;
  /** Characters of one rendering, and of any value made on the way (1 MiB of ASCII). */
  static final int MAX_OUTPUT = 1 << 20;
  /** A printf width or precision. */
  static final int MAX_PRINTF_WIDTH = 10_000;

  private TemplateLimits() {
  }
}
