package dev.tracelake.query;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.query.SqlRejectedException.Reason;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sandboxed statement may do, decided on DuckDB's own parse of it ({@code
 * json_serialize_sql}) rather than on its text: it is one SELECT (DESCRIBE, SUMMARIZE and SHOW
 * parse as one), and it reads tracelake's views ({@link #VIEWS}), its own CTEs and a few table
 * functions that generate rows or are tracelake's own, and calls no function that exposes the
 * server's configuration or state.
 */
final class SqlPolicy {
  /** What the sandbox accepts, for refusal messages. */
  static final String ALLOWED =
      "one read-only query is allowed: SELECT, WITH … SELECT, EXPLAIN [ANALYZE] <query>,"
          + " DESCRIBE, SUMMARIZE or SHOW <table>";

  /**
   * Table functions that generate rows rather than read them from somewhere, and tracelake's table
   * macros over its views ({@code sql/views/}).
   */
  static final List<String> TABLE_FUNCTIONS =
      List.of(
          "range",
          "generate_series",
          "unnest",
          "json_each",
          "json_tree",
          "dependency_calls",
          "slo_objectives");

  /**
   * Functions that read settings or session state, write outside the query, stall a worker or run
   * other SQL. DuckDB's file and catalog readers are table functions, refused by not being in
   * {@link #TABLE_FUNCTIONS}.
   */
  private static final Set<String> REFUSED_FUNCTIONS =
      Set.of(
          "current_setting",
          "getenv",
          "getvariable",
          "json_serialize_plan",
          "json_execute_serialized_sql",
          "write_log",
          "sleep_ms",
          "pg_sleep",
          "nextval",
          "currval",
          "setval");

  /** Function name prefixes of DuckDB's catalog and settings introspection. */
  private static final List<String> REFUSED_FUNCTION_PREFIXES = List.of("duckdb_", "pragma_");

  /** The catalog objects a query may read: the views of {@code sql/views/}. */
  static final Set<String> VIEWS =
      Set.of("spans", "span_aggregates", "aggregated_spans", "span_facts");

  /** Keywords that start a read-only statement, to tell "two statements" from "a write". */
  private static final Set<String> READ_KEYWORDS =
      Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SUMMARIZE", "SHOW");

  /** Leading white space and comments, then an optional EXPLAIN [ANALYZE]. */
  private static final Pattern EXPLAIN =
      Pattern.compile(
          "(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*(EXPLAIN(?:\\s+ANALYZE)?)\\s+",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** Leading white space and comments, then the first keyword. */
  private static final Pattern FIRST_KEYWORD =
      Pattern.compile("(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*([A-Za-z_]+)", Pattern.DOTALL);

  /** The opening of a dollar-quoted string: $$ or $tag$. */
  private static final Pattern DOLLAR_TAG = Pattern.compile("\\$(?:[A-Za-z_][A-Za-z_0-9]*)?\\$");

  /**
   * A statement split in two: the EXPLAIN [ANALYZE] keywords, if any, and the statement they
   * explain, which is what the policy checks ({@code json_serialize_sql} does not take EXPLAIN).
   */
  record Split(String explain, String statement) {
    boolean isExplain() {
      return !explain.isEmpty();
    }

    /**
     * The SQL to run: the checked statement and nothing else, explained if asked, or as a subquery
     * that returns one row more than the limit, so DuckDB computes no more than that. (A plan is a
     * few rows.) The subquery's closing parenthesis is on a line of its own, after any comment.
     */
    String sql(int maxRows) {
      if (isExplain()) {
        return explain + " " + statement;
      }
      return "SELECT * FROM (\n" + withoutEnd(statement) + "\n) LIMIT " + (maxRows + 1L);
    }
  }

  /**
   * The statement without the semicolons, white space and comments after its last token, which
   * would break it as a subquery. A misread only makes the subquery fail to parse: what runs is
   * checked too.
   */
  static String withoutEnd(String sql) {
    int end = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (sql.startsWith("--", i)) {
        int lineEnd = sql.indexOf('\n', i);
        i = lineEnd < 0 ? sql.length() : lineEnd;
      } else if (sql.startsWith("/*", i)) {
        i = blockCommentEnd(sql, i);
      } else if (Character.isWhitespace(c) || c == ';') {
        i++;
      } else {
        i = c == '\'' || c == '"' ? quoteEnd(sql, i, c) : c == '$' ? dollarQuoteEnd(sql, i) : i + 1;
        end = i;
      }
    }
    return sql.substring(0, end);
  }

  /** Just after the quote that closes the literal or identifier opened at {@code start}. */
  private static int quoteEnd(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        // A doubled quote stands for itself.
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  /**
   * Just after the dollar-quoted string opened at {@code start}, or the $ there if it opens none.
   */
  private static int dollarQuoteEnd(String sql, int start) {
    Matcher tag = DOLLAR_TAG.matcher(sql).region(start, sql.length());
    if (!tag.lookingAt()) {
      return start + 1;
    }
    int close = sql.indexOf(tag.group(), tag.end());
    return close < 0 ? sql.length() : close + tag.group().length();
  }

  /** Just after the block comment that opens at {@code start}; such comments nest. */
  private static int blockCommentEnd(String sql, int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private final Set<String> systemTables;

  /**
   * @param catalogTables the names of every table and view in DuckDB's catalog (tracelake's views
   *     among them), which a query must not reach through a CTE of the same name
   */
  SqlPolicy(Set<String> catalogTables) {
    Set<String> system = new HashSet<>();
    catalogTables.forEach(name -> system.add(name.toLowerCase(Locale.ROOT)));
    system.removeAll(VIEWS);
    this.systemTables = Set.copyOf(system);
  }

  static Split split(String sql) {
    Matcher explain = EXPLAIN.matcher(sql);
    if (explain.lookingAt()) {
      String keywords = explain.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
      return new Split(keywords, sql.substring(explain.end()));
    }
    return new Split("", sql);
  }

  /**
   * Checks a statement by its {@code json_serialize_sql} output.
   *
   * @throws SqlRejectedException NOT_ALLOWED for anything outside the policy, INVALID_QUERY when
   *     DuckDB cannot parse it
   */
  void check(String statement, String serialized) throws SqlRejectedException {
    JsonObject parsed = JsonParser.parseString(serialized).getAsJsonObject();
    if (parsed.get("error").getAsBoolean()) {
      String type = text(parsed, "error_type");
      if ("not implemented".equals(type)) {
        throw notAllowed(statementRefusal(statement));
      }
      String message = firstLine(text(parsed, "error_message"));
      throw new SqlRejectedException(
          Reason.INVALID_QUERY, type.equals("parser") ? "Parser Error: " + message : message);
    }
    JsonArray statements = parsed.getAsJsonArray("statements");
    if (statements.isEmpty()) {
      throw notAllowed("The SQL is empty; " + ALLOWED + ".");
    }
    if (statements.size() > 1) {
      throw notAllowed(
          "The SQL holds " + statements.size() + " statements, but only " + ALLOWED + ".");
    }
    Set<String> cteNames = new HashSet<>();
    collectCteNames(statements, cteNames);
    walk(statements, cteNames);
  }

  /**
   * Every CTE name defined anywhere in the statement. Checking references against all of them
   * rather than those in scope is safe because a name in the catalog is refused either way.
   */
  private static void collectCteNames(JsonElement element, Set<String> names) {
    if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(child -> collectCteNames(child, names));
    } else if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      if (object.has("cte_map") && object.get("cte_map").isJsonObject()) {
        for (JsonElement entry : object.getAsJsonObject("cte_map").getAsJsonArray("map")) {
          names.add(text(entry.getAsJsonObject(), "key").toLowerCase(Locale.ROOT));
        }
      }
      object.entrySet().forEach(member -> collectCteNames(member.getValue(), names));
    }
  }

  /** Checks every table reference and function call, wherever it is nested. */
  private void walk(JsonElement element, Set<String> cteNames) throws SqlRejectedException {
    if (element.isJsonArray()) {
      for (JsonElement child : element.getAsJsonArray()) {
        walk(child, cteNames);
      }
      return;
    }
    if (!element.isJsonObject()) {
      return;
    }
    JsonObject node = element.getAsJsonObject();
    String type = text(node, "type");
    if (type.equals("BASE_TABLE")
        || (type.equals("SHOW_REF") && !text(node, "table_name").isEmpty())) {
      checkTable(node, cteNames);
    } else if (type.equals("TABLE_FUNCTION")) {
      String name = text(node.getAsJsonObject("function"), "function_name");
      if (!TABLE_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT))) {
        throw notAllowed(
            name
                + "() is not allowed: queries read tracelake's views only. The table functions"
                + " allowed are "
                + String.join(", ", TABLE_FUNCTIONS)
                + ".");
      }
    }
    if (text(node, "class").equals("FUNCTION")) {
      checkFunction(text(node, "function_name"));
    }
    for (Map.Entry<String, JsonElement> member : node.entrySet()) {
      walk(member.getValue(), cteNames);
    }
  }

  private void checkTable(JsonObject table, Set<String> cteNames) throws SqlRejectedException {
    String name = text(table, "table_name");
    String lower = name.toLowerCase(Locale.ROOT);
    String refusal =
        "'"
            + name
            + "' is not allowed: queries read the views "
            + String.join(", ", VIEWS.stream().sorted().toList())
            + " and the tables of their own WITH clause only";
    if (!text(table, "schema_name").isEmpty() || !text(table, "catalog_name").isEmpty()) {
      throw notAllowed(refusal + ", by their name alone (no schema or catalog).");
    }
    if (VIEWS.contains(lower)) {
      return;
    }
    if (systemTables.contains(lower)) {
      throw notAllowed(refusal + "; '" + name + "' names a system table or view.");
    }
    // A name with a dot or a slash would be read as a file path if no CTE of that name were in
    // scope; the locked configuration stops that too, but the policy should not depend on it.
    if (!cteNames.contains(lower) || lower.matches(".*[./\\\\:].*")) {
      throw notAllowed(refusal + ".");
    }
  }

  private static void checkFunction(String name) throws SqlRejectedException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (REFUSED_FUNCTIONS.contains(lower)
        || REFUSED_FUNCTION_PREFIXES.stream().anyMatch(lower::startsWith)) {
      throw notAllowed(
          name
              + "() is not allowed: it exposes the server's configuration or state, or acts"
              + " outside the query.");
    }
  }

  private static String statementRefusal(String statement) {
    Matcher keyword = FIRST_KEYWORD.matcher(statement);
    String first = keyword.lookingAt() ? keyword.group(1).toUpperCase(Locale.ROOT) : "";
    if (first.isEmpty() || READ_KEYWORDS.contains(first)) {
      return "Only " + ALLOWED + "; this SQL holds another statement as well, or another kind.";
    }
    return first + " statements are not allowed: only " + ALLOWED + ".";
  }

  private static SqlRejectedException notAllowed(String message) {
    return new SqlRejectedException(Reason.NOT_ALLOWED, message);
  }

  private static String text(JsonObject object, String member) {
    JsonElement value = object.get(member);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
  }

  /** The first line of a DuckDB message, which puts the error there and context below. */
  static String firstLine(String message) {
    String text = message == null ? "" : message.strip();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end).strip();
  }
}
