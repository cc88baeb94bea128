package dev.tracelake.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Rows under named columns, printed for people (aligned text) or for programs (CSV). */
record Table(List<String> columns, List<List<Object>> rows) {
  Table {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** Prints as aligned text or CSV; JSON shapes differ per command, which print them. */
  void print(OutputOptions.Format format, PrintWriter out) {
    if (format == OutputOptions.Format.csv) {
      printCsv(out);
    } else {
      printText(out);
    }
  }

  /** Aligned columns under a header, NULL for missing values. */
  void printText(PrintWriter out) {
    int[] widths = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    cells.add(columns);
    rows.forEach(
        row -> cells.add(row.stream().map(value -> Objects.toString(value, "NULL")).toList()));
    for (List<String> line : cells) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (int line = 0; line < cells.size(); line++) {
      printAligned(out, cells.get(line), widths);
      if (line == 0) {
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
          rule.add("-".repeat(width));
        }
        printAligned(out, rule, widths);
      }
    }
    out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
  }

  /** RFC 4180 CSV with a header line; missing values are empty fields. */
  void printCsv(PrintWriter out) {
    out.print(csvLine(new ArrayList<>(columns)) + "\r\n");
    rows.forEach(row -> out.print(csvLine(row) + "\r\n"));
    out.flush();
  }

  private static void printAligned(PrintWriter out, List<String> line, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", line.get(i)));
    }
    out.println(text.toString().stripTrailing());
  }

  private static String csvLine(List<?> values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      String text = values.get(i) == null ? "" : values.get(i).toString();
      boolean quote =
          text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
      line.append(i == 0 ? "" : ",").append(quote ? '"' + text.replace("\"", "\"\"") + '"' : text);
    }
    return line.toString();
  }
}
