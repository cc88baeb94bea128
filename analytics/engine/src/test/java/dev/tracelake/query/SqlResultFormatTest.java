package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlResultFormatTest {
  private static final Map<String, Object> STRUCT = new LinkedHashMap<>();

  static {
    STRUCT.put("k", "v");
    STRUCT.put("n", null);
  }

  private static final SqlResult RESULT =
      new SqlResult(
          List.of(
              new SqlResult.Column("name", "VARCHAR"),
              new SqlResult.Column("n", "BIGINT"),
              new SqlResult.Column("nested", "STRUCT(k VARCHAR, n INTEGER)")),
          List.of(
              Arrays.asList("plain", 1L, List.of(1, 2)),
              Arrays.asList("a,b \"quoted\"\nnext line", 12345L, STRUCT),
              Arrays.asList(null, null, null)),
          true,
          3);

  @Test
  void csvFollowsRfc4180() {
    assertThat(SqlResultFormat.CSV.render(RESULT))
        .isEqualTo(
            "name,n,nested\r\n"
                + "plain,1,\"[1,2]\"\r\n"
                + "\"a,b \"\"quoted\"\"\nnext line\",12345,\"{\"\"k\"\":\"\"v\"\",\"\"n\"\":null}\"\r\n"
                + ",,\r\n");
  }

  @Test
  void tableAlignsOneLinePerRow() {
    assertThat(SqlResultFormat.TABLE.render(RESULT))
        .isEqualTo(
            """
            name                    |     n | nested
            ------------------------+-------+-------------------
            plain                   |     1 | [1,2]
            a,b "quoted"\\nnext line | 12345 | {"k":"v","n":null}
            NULL                    |  NULL | NULL
            (3 rows; more were cut at the limit of 3)
            """);
  }

  @Test
  void markdownEscapesPipesAndRightAlignsNumbers() {
    SqlResult piped =
        new SqlResult(
            List.of(new SqlResult.Column("route", "VARCHAR"), new SqlResult.Column("n", "BIGINT")),
            List.of(Arrays.asList("a|b", 1L), Arrays.asList(null, 22L)),
            false,
            10);

    assertThat(SqlResultFormat.MARKDOWN.render(piped))
        .isEqualTo(
            """
            | route | n |
            | --- | --: |
            | a\\|b | 1 |
            | NULL | 22 |
            """);
  }

  @Test
  void tableCutsLongValues() {
    SqlResult wide =
        new SqlResult(
            List.of(new SqlResult.Column("text", "VARCHAR")),
            List.of(List.of("x".repeat(200))),
            false,
            10);

    String table = SqlResultFormat.TABLE.render(wide);

    assertThat(table.lines().skip(2).findFirst().orElseThrow())
        .hasSize(SqlResultFormat.MAX_CELL_WIDTH)
        .endsWith("…");
    assertThat(table).endsWith("(1 row)\n");
  }

  @Test
  void jsonIsTheApiBody() {
    assertThat(SqlResultFormat.JSON.render(RESULT))
        .isEqualTo(
            "{\"columns\":[{\"name\":\"name\",\"type\":\"VARCHAR\"},{\"name\":\"n\",\"type\":\"BIGINT\"},"
                + "{\"name\":\"nested\",\"type\":\"STRUCT(k VARCHAR, n INTEGER)\"}],"
                + "\"rows\":[[\"plain\",1,[1,2]],[\"a,b \\\"quoted\\\"\\nnext line\",12345,"
                + "{\"k\":\"v\",\"n\":null}],[null,null,null]],\"truncated\":true}\n");
  }

  @Test
  void decimalsPrintWithoutExponent() {
    SqlResult decimal =
        new SqlResult(
            List.of(new SqlResult.Column("d", "DECIMAL(18,10)")),
            List.of(List.of(new BigDecimal("1E-10"))),
            false,
            10);

    assertThat(SqlResultFormat.CSV.render(decimal)).isEqualTo("d\r\n0.0000000001\r\n");
  }

  @Test
  void parsesFormatNames() {
    assertThat(SqlResultFormat.of("csv")).isEqualTo(SqlResultFormat.CSV);
    assertThat(SqlResultFormat.of("Table")).isEqualTo(SqlResultFormat.TABLE);
    assertThatThrownBy(() -> SqlResultFormat.of("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown output format 'xml': use table, csv, md or json");
    assertThat(SqlResultFormat.of("md")).isEqualTo(SqlResultFormat.MARKDOWN);
    assertThat(SqlResultFormat.of("markdown")).isEqualTo(SqlResultFormat.MARKDOWN);
  }
}
