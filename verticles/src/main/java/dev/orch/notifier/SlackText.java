package dev.orch.notifier;

/**
 * Text for Slack's message formatting. Slack reads {@code <!channel>}, {@code <@U123>} and {@code <url|text>} as
 * mentions and links, so a plan title or an agent's reason could ping a whole channel or plant a link (audit L4).
 * Slack's rule: escape {@code &}, {@code <} and {@code >} as HTML entities, and nothing else.
 */
final class SlackText {
  private SlackText() {
  }

  static String escape(String text) {
    if (text == null) {
      return null;
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Only web links: a local forge's link is a path on this machine, which has no business in a chat message. */
  static boolean isWebLink(String link) {
    return link != null && (link.startsWith("https://") || link.startsWith("http://"));
  }
}
