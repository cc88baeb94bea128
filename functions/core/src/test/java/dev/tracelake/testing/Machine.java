package dev.tracelake.testing;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The machine a benchmark ran on, in the one line every benchmark prints before its figures. */
public final class Machine {
  private Machine() {}

  /**
   * Cores, memory, CPU model, OS, JVM and heap, and the load average: other processes skew every
   * figure, so a busy run can be told apart.
   */
  public static String describe() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        "Machine: %d cores, %.1f GiB memory, %s, %s %s %s, Java %s (%s), heap max %.1f GiB;"
            + " load average %.2f",
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (double) (1L << 30),
        cpuModel(),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (double) (1L << 30),
        loadAverage());
  }

  /** The load average now, for benchmarks that print it again at the end. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
