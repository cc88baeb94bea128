package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlPolicyTest {
  @Test
  void splitsOffExplain() {
    assertThat(SqlPolicy.split("SELECT 1")).isEqualTo(new SqlPolicy.Split("", "SELECT 1"));
    assertThat(SqlPolicy.split("/* plan */ explain\n analyze SELECT 1"))
        .isEqualTo(new SqlPolicy.Split("EXPLAIN ANALYZE", "SELECT 1"));
    assertThat(SqlPolicy.split("EXPLAIN SELECT 1").sql(10)).isEqualTo("EXPLAIN SELECT 1");
  }

  @Test
  void limitsAQueryAsASubquery() {
    assertThat(SqlPolicy.split("SELECT 1;").sql(10))
        .isEqualTo("SELECT * FROM (\nSELECT 1\n) LIMIT 11");
  }

  @Test
  void dropsWhatFollowsTheLastToken() {
    assertThat(SqlPolicy.withoutEnd("SELECT 1 ; -- done\n /* really /* nested */ */ ;\n"))
        .isEqualTo("SELECT 1");
    assertThat(SqlPolicy.withoutEnd("SELECT 1 -- one")).isEqualTo("SELECT 1");
  }

  @Test
  void keepsSemicolonsAndDashesInLiterals() {
    assertThat(SqlPolicy.withoutEnd("SELECT ';--' ;")).isEqualTo("SELECT ';--'");
    assertThat(SqlPolicy.withoutEnd("SELECT 'it''s;' AS \"a;\"\"b\";"))
        .isEqualTo("SELECT 'it''s;' AS \"a;\"\"b\"");
    assertThat(SqlPolicy.withoutEnd("SELECT $x$ ; -- $x$;")).isEqualTo("SELECT $x$ ; -- $x$");
    assertThat(SqlPolicy.withoutEnd("SELECT $$;$$")).isEqualTo("SELECT $$;$$");
  }
}
