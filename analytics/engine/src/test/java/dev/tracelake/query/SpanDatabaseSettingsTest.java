package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings of the database that concern speed rather than the sandbox. */
class SpanDatabaseSettingsTest {
  @TempDir Path data;
  @TempDir Path work;

  @Test
  void keepsParquetFootersBetweenQueries() throws Exception {
    try (SpanDatabase database =
            SpanDatabase.open(
                SpanDatabase.Settings.defaults(work),
                new LocalSpanSource(data, new SpanObjectKeys("spans")));
        Connection connection = database.connect(List.of());
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT current_setting('parquet_metadata_cache')")) {
      rows.next();
      assertThat(rows.getBoolean(1)).isTrue();
    }
  }
}
