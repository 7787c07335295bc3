/**
 * Plain-text renderings shared by the command line and the shell, so both print the same thing for the same state.
 * No I/O beyond the writer they are given; no bus.
 */
package dev.orch.text;
