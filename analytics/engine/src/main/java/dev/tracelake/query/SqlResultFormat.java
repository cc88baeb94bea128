package dev.tracelake.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a CLI prints a {@link SqlResult}. */
public enum SqlResultFormat {
  /**
   * An aligned text table for people, number columns right-aligned, NULL spelled out, long values
   * cut at {@value #MAX_CELL_WIDTH} characters, with a row count (and the limit, if it cut the
   * result).
   */
  TABLE {
    @Override
    public String render(SqlResult result) {
      int width = result.columns().size();
      List<String[]> cells = new ArrayList<>();
      int[] widths = new int[width];
      boolean[] numeric = new boolean[width];
      for (int c = 0; c < width; c++) {
        widths[c] = result.columns().get(c).name().length();
        numeric[c] = true;
      }
      for (List<Object> row : result.rows()) {
        String[] texts = new String[width];
        for (int c = 0; c < width; c++) {
          Object value = row.get(c);
          texts[c] = tableCell(value);
          widths[c] = Math.max(widths[c], texts[c].length());
          numeric[c] &= value == null || value instanceof Number;
        }
        cells.add(texts);
      }
      StringBuilder out = new StringBuilder();
      List<String> header = new ArrayList<>(width);
      List<String> rule = new ArrayList<>(width);
      for (int c = 0; c < width; c++) {
        header.add(pad(result.columns().get(c).name(), widths[c], numeric[c]));
        rule.add("-".repeat(widths[c]));
      }
      line(out, header, " | ");
      line(out, rule, "-+-");
      for (String[] texts : cells) {
        List<String> padded = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
          padded.add(pad(texts[c], widths[c], numeric[c]));
        }
        line(out, padded, " | ");
      }
      int count = result.rows().size();
      out.append('(').append(count).append(count == 1 ? " row" : " rows");
      if (result.truncated()) {
        out.append("; more were cut at the limit of ").append(result.maxRows());
      }
      return out.append(")\n").toString();
    }
  },

  /**
   * RFC 4180 CSV: a header line of column names, CRLF line ends, fields quoted when they hold a
   * comma, a double quote, CR or LF. NULL is an empty field; lists and structs are JSON text.
   */
  CSV {
    @Override
    public String render(SqlResult result) {
      StringBuilder out = new StringBuilder();
      List<String> header = new ArrayList<>();
      result.columns().forEach(column -> header.add(csvField(column.name())));
      out.append(String.join(",", header)).append("\r\n");
      for (List<Object> row : result.rows()) {
        List<String> fields = new ArrayList<>(row.size());
        for (Object value : row) {
          fields.add(value == null ? "" : csvField(text(value)));
        }
        out.append(String.join(",", fields)).append("\r\n");
      }
      return out.toString();
    }
  },

  /**
   * A GitHub-flavoured Markdown table, number columns right-aligned, for pasting into issues, pull
   * requests and wikis; cells as TABLE gives them, with {@code |} escaped.
   */
  MARKDOWN {
    @Override
    public String render(SqlResult result) {
      int width = result.columns().size();
      boolean[] numeric = new boolean[width];
      Arrays.fill(numeric, true);
      for (List<Object> row : result.rows()) {
        for (int c = 0; c < width; c++) {
          numeric[c] &= row.get(c) == null || row.get(c) instanceof Number;
        }
      }
      StringBuilder out = new StringBuilder();
      List<String> header = new ArrayList<>(width);
      List<String> rule = new ArrayList<>(width);
      for (int c = 0; c < width; c++) {
        header.add(markdownCell(result.columns().get(c).name()));
        rule.add(numeric[c] ? "--:" : "---");
      }
      markdownLine(out, header);
      markdownLine(out, rule);
      for (List<Object> row : result.rows()) {
        markdownLine(out, row.stream().map(value -> markdownCell(tableCell(value))).toList());
      }
      if (result.truncated()) {
        out.append("\n_More rows were cut at the limit of ")
            .append(result.maxRows())
            .append("._\n");
      }
      return out.toString();
    }
  },

  /** The JSON of the HTTP API, {@link SqlResult#toJson()}. */
  JSON {
    @Override
    public String render(SqlResult result) {
      return result.toJson() + "\n";
    }
  };

  /** The longest cell TABLE prints in full. */
  public static final int MAX_CELL_WIDTH = 80;

  /** The whole output, ending with a line break. */
  public abstract String render(SqlResult result);

  /** The format of a name as a user types it: table, csv, md (or markdown) or json, in any case. */
  public static SqlResultFormat of(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    try {
      return valueOf(upper.equals("MD") ? "MARKDOWN" : upper);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown output format '" + name + "': use table, csv, md or json", e);
    }
  }

  /**
   * A value's plain text: strings as they are, decimals without exponent, nested values as JSON.
   */
  private static String text(Object value) {
    if (value instanceof String string) {
      return string;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return SqlResult.json(value);
  }

  private static String tableCell(Object value) {
    if (value == null) {
      return "NULL";
    }
    // One value, one line: line breaks and tabs would break the table's alignment.
    String text = text(value).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    text = text.replace("\t", " ");
    return text.length() > MAX_CELL_WIDTH ? text.substring(0, MAX_CELL_WIDTH - 1) + "…" : text;
  }

  private static String pad(String text, int width, boolean right) {
    String fill = " ".repeat(width - text.length());
    return right ? fill + text : text + fill;
  }

  private static void line(StringBuilder out, List<String> cells, String separator) {
    out.append(String.join(separator, cells).stripTrailing()).append('\n');
  }

  private static String markdownCell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|");
  }

  private static void markdownLine(StringBuilder out, List<String> cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String csvField(String text) {
    if (text.contains(",") || text.contains("\"") || text.contains("\r") || text.contains("\n")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
