package io.connectorhub.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TelegramFormatTest {
    @Test
    void escapesWhatTelegramWouldReadAsHtml() {
        assertEquals("1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;b&gt;", TelegramFormat.toHtml("1 < 2 && 3 > 2 <b>"));
    }

    @Test
    void convertsEmphasisStrikethroughAndLinks() {
        assertEquals(
                "<b>bold</b>, <i>italic</i>, <i>also</i>, <s>gone</s> and <a href=\"https://x.org/?a=1&amp;b=2\">a"
                        + " <b>link</b></a>",
                TelegramFormat.toHtml("**bold**, *italic*, _also_, ~~gone~~ and [a **link**](https://x.org/?a=1&b=2)"));
    }

    @Test
    void leavesSnakeCaseAndLoneAsterisksAlone() {
        assertEquals("snake_case_name and 2 * 3 * 4", TelegramFormat.toHtml("snake_case_name and 2 * 3 * 4"));
    }

    @Test
    void codeIsEscapedButNeverFormatted() {
        assertEquals("use <code>a **b** &lt;c&gt;</code> here", TelegramFormat.toHtml("use `a **b** <c>` here"));
        assertEquals(
                "<pre><code class=\"language-java\">if (a &lt; b) { **x** }</code></pre>",
                TelegramFormat.toHtml("```java\nif (a < b) { **x** }\n```"));
        assertEquals("<pre>plain &amp; simple</pre>", TelegramFormat.toHtml("```\nplain & simple\n```"));
    }

    @Test
    void headingsBecomeBoldListsGetBulletsQuotesGetBlockquotes() {
        assertEquals(
                "<b>Title</b>\n• one\n• two\n<blockquote>said\nand <i>more</i></blockquote>\nend",
                TelegramFormat.toHtml("## Title\n- one\n* two\n> said\n> and *more*\nend"));
    }

    @Test
    void plainTextDropsTagsAndDecodesEntities() {
        assertEquals("a < b & **c**", TelegramFormat.toPlain("<b>a &lt; b</b> &amp; **c**"));
        assertEquals("x", TelegramFormat.toPlain(TelegramFormat.toHtml("**x**")));
    }
}
