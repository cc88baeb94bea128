package dev.tracelake.query.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mermaid and DOT text of the dependency graph. */
class DependencyGraphTextTest {
  static final Instant FROM = Instant.parse("2026-11-26T14:00:00Z");
  static final Instant TO = Instant.parse("2026-11-26T15:00:00Z");

  static final DependencyReport SHOP =
      new DependencyReport(
          FROM,
          TO,
          List.of(
              new DependencyReport.Edge("frontend", "checkout", 1200, 6, 4, 12.34, 40, false),
              new DependencyReport.Edge("checkout", "payment", 300, 30, 90, 250, 410, false),
              new DependencyReport.Edge("checkout", "postgresql", 2400, 0, 1, 3, 7.5, true)));

  @Test
  void mermaidFlowchart() {
    assertThat(DependencyGraphText.mermaid(SHOP))
        .isEqualTo(
            """
            flowchart LR
              s_frontend["frontend"]
              s_checkout["checkout"]
              s_payment["payment"]
              s_postgresql[("postgresql")]
              s_frontend -->|"1,200 calls · 0.5% errors · p95 12.3 ms"| s_checkout
              s_checkout -->|"300 calls · 10% errors · p95 250 ms"| s_payment
              s_checkout -.->|"2,400 calls · 0% errors · p95 3 ms"| s_postgresql
              classDef virtual stroke-dasharray: 5 5
              class s_postgresql virtual
            """);
  }

  @Test
  void dotDigraph() {
    assertThat(DependencyGraphText.dot(SHOP))
        .isEqualTo(
            """
            digraph dependencies {
              rankdir=LR;
              node [shape=box, style=rounded, fontname="Helvetica"];
              edge [fontname="Helvetica", fontsize=10];
              s_frontend [label="frontend"];
              s_checkout [label="checkout"];
              s_payment [label="payment"];
              s_postgresql [label="postgresql", shape=cylinder, style=dashed];
              s_frontend -> s_checkout [label="1,200 calls · 0.5% errors · p95 12.3 ms", \
            color="#2f9e5b"];
              s_checkout -> s_payment [label="300 calls · 10% errors · p95 250 ms", \
            color="#d64545"];
              s_checkout -> s_postgresql [label="2,400 calls · 0% errors · p95 3 ms", \
            color="#2f9e5b", style=dashed];
            }
            """);
  }

  static final DependencyReport HOSTILE =
      new DependencyReport(
          FROM,
          TO,
          List.of(
              new DependencyReport.Edge("<script>alert(1)</script>", "a&b\"", 1, 0, 1, 1, 1, false),
              new DependencyReport.Edge("a&b\"", "a|b#c\\d", 1, 0, 1, 1, 1, true),
              new DependencyReport.Edge("a&b\"", "a-b--c", 1, 0, 1, 1, 1, false)));

  @Test
  void mermaidEscapesNamesAndKeepsIdsApart() {
    assertThat(DependencyGraphText.mermaid(HOSTILE))
        .isEqualTo(
            """
            flowchart LR
              s__script_alert_1___script_["#60;script#62;alert(1)#60;/script#62;"]
              s_a_b_["a#38;b#34;"]
              s_a_b_c_d[("a#124;b#35;c\\d")]
              s_a_b__c["a-b--c"]
              s__script_alert_1___script_ -->|"1 calls · 0% errors · p95 1 ms"| s_a_b_
              s_a_b_ -.->|"1 calls · 0% errors · p95 1 ms"| s_a_b_c_d
              s_a_b_ -->|"1 calls · 0% errors · p95 1 ms"| s_a_b__c
              classDef virtual stroke-dasharray: 5 5
              class s_a_b_c_d virtual
            """);
  }

  @Test
  void dotEscapesQuotesAndBackslashes() {
    String dot = DependencyGraphText.dot(HOSTILE);

    assertThat(dot)
        .contains("s__script_alert_1___script_ [label=\"<script>alert(1)</script>\"];")
        .contains("s_a_b_ [label=\"a&b\\\"\"];")
        .contains("s_a_b_c_d [label=\"a|b#c\\\\d\", shape=cylinder, style=dashed];")
        .contains("s_a_b_ -> s_a_b_c_d [");
  }

  @Test
  void namesThatReduceAlikeGetNumberedIds() {
    DependencyReport alike =
        new DependencyReport(
            FROM,
            TO,
            List.of(
                new DependencyReport.Edge("a.b", "a-b", 1, 0, 1, 1, 1, false),
                new DependencyReport.Edge("a-b", "A_B", 1, 0, 1, 1, 1, false)));

    assertThat(DependencyGraphText.mermaid(alike))
        .contains("s_a_b[\"a.b\"]", "s_a_b_2[\"a-b\"]", "s_A_B_3[\"A_B\"]")
        .contains("s_a_b -->", "s_a_b_2 -->");
  }

  @Test
  void anEmptyGraphIsStillValid() {
    DependencyReport empty = new DependencyReport(FROM, TO, List.of());

    assertThat(DependencyGraphText.mermaid(empty))
        .isEqualTo("flowchart LR\n  %% no calls in this window\n");
    assertThat(DependencyGraphText.dot(empty))
        .startsWith("digraph dependencies {\n")
        .contains("label=\"no calls in this window\";")
        .endsWith("}\n");
  }
}
