package dev.tracelake.functions.query;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SqlSandbox;
import dev.tracelake.query.report.SloPolicy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Opens the one {@link QueryEngine} of a function instance, at start-up: Lambda's init phase pays
 * for loading DuckDB rather than the first request, and a bad configuration fails the instance
 * before it takes traffic.
 */
@ApplicationScoped
public class QueryEngineProducer {
  /** The share of the function's memory DuckDB may use; the JVM and the OS get the rest. */
  static final double DUCKDB_MEMORY_SHARE = 0.5;

  @Produces
  @Singleton
  @Startup
  QueryEngine engine(QueryConfig config) {
    return QueryEngine.open(
        SpanSources.of(config),
        settings(config.duckdb(), System.getenv()),
        config.slo().map(SloPolicy::parse).orElseGet(SloPolicy::defaults),
        new SqlSandbox.Limits(config.sqlTimeout(), SqlSandbox.DEFAULT_MAX_ROWS));
  }

  void close(@Disposes QueryEngine engine) {
    engine.close();
  }

  /** DuckDB's settings, with the defaults taken from the function's size. */
  static SpanDatabase.Settings settings(QueryConfig.Duckdb duckdb, Map<String, String> env) {
    return new SpanDatabase.Settings(
        duckdb.threads().orElse(Runtime.getRuntime().availableProcessors()),
        duckdb.memoryLimit().orElseGet(() -> defaultMemoryLimit(env)),
        duckdb.workDir());
  }

  /**
   * {@link #DUCKDB_MEMORY_SHARE} of the function's memory: Lambda's configured size when running
   * there, else the machine's (or container's) memory.
   */
  static String defaultMemoryLimit(Map<String, String> env) {
    String lambdaMegabytes = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    long megabytes =
        lambdaMegabytes != null
            ? Long.parseLong(lambdaMegabytes.trim())
            : ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize()
                >> 20;
    return Math.max(1, (long) (megabytes * DUCKDB_MEMORY_SHARE)) + "MB";
  }
}
