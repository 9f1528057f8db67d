package net.tinyisp.nat64.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7915 §4.2 and §5.2 tables, cell by cell where they map. */
class IcmpMappingTest {
  @Test
  void parameterProblemPointersFollowFigures3And6() {
    int[][] v4to6 = {{0, 0}, {1, 1}, {2, 4}, {3, 4}, {8, 7}, {9, 6}, {12, 8}, {15, 8}, {16, 24}, {19, 24}};
    for (int[] p : v4to6) assertThat(IcmpMapping.v4PointerToV6(p[0])).as("v4 pointer %d", p[0]).isEqualTo(p[1]);
    for (int p : new int[] {4, 5, 6, 7, 10, 11, 20}) assertThat(IcmpMapping.v4PointerToV6(p)).isEqualTo(-1);
    int[][] v6to4 = {{0, 0}, {1, 1}, {4, 2}, {5, 2}, {6, 9}, {7, 8}, {8, 12}, {23, 12}, {24, 16}, {39, 16}};
    for (int[] p : v6to4) assertThat(IcmpMapping.v6PointerToV4(p[0])).as("v6 pointer %d", p[0]).isEqualTo(p[1]);
    for (int p : new int[] {2, 3, 40}) assertThat(IcmpMapping.v6PointerToV4(p)).isEqualTo(-1);
    assertThat(IcmpMapping.v4ToV6(12, 0, 9 << 24, 100, 1280)).isEqualTo(new IcmpMapping.Mapped(4, 0, 6));
    assertThat(IcmpMapping.v6ToV4(4, 0, 7)).isEqualTo(new IcmpMapping.Mapped(12, 0, 8 << 24));
  }

  @Test
  void destinationUnreachableCodes() {
    assertThat(IcmpMapping.v4ToV6(3, 0, 0, 100, 1280)).isEqualTo(new IcmpMapping.Mapped(1, 0, 0));
    assertThat(IcmpMapping.v4ToV6(3, 2, 0, 100, 1280)).isEqualTo(new IcmpMapping.Mapped(4, 1, 6));
    assertThat(IcmpMapping.v4ToV6(3, 3, 0, 100, 1280)).isEqualTo(new IcmpMapping.Mapped(1, 4, 0));
    assertThat(IcmpMapping.v4ToV6(3, 13, 0, 100, 1280)).isEqualTo(new IcmpMapping.Mapped(1, 1, 0));
    assertThat(IcmpMapping.v4ToV6(3, 14, 0, 100, 1280)).isNull();
    assertThat(IcmpMapping.v4ToV6(4, 0, 0, 100, 1280)).isNull(); // source quench
    assertThat(IcmpMapping.v6ToV4(1, 4, 0)).isEqualTo(new IcmpMapping.Mapped(3, 3, 0));
    assertThat(IcmpMapping.v6ToV4(1, 1, 0)).isEqualTo(new IcmpMapping.Mapped(3, 10, 0));
    assertThat(IcmpMapping.v6ToV4(4, 1, 0)).isEqualTo(new IcmpMapping.Mapped(3, 2, 0));
    assertThat(IcmpMapping.v6ToV4(3, 1, 0)).isEqualTo(new IcmpMapping.Mapped(11, 1, 0));
  }

  @Test
  void mtuTranslation() {
    assertThat(IcmpMapping.v4ToV6(3, 4, 1400, 1500, 1280).rest()).isEqualTo(1420);
    // RFC 1191 plateaus when the router reports 0: the largest plateau below the inner packet's length, + 20
    assertThat(IcmpMapping.v4ToV6(3, 4, 0, 1500, 1280).rest()).isEqualTo(1512); // 1492 + 20
    assertThat(IcmpMapping.v4ToV6(3, 4, 0, 1200, 1280).rest()).isEqualTo(1280); // 1006 + 20, raised to 1280
    assertThat(IcmpMapping.v4ToV6(3, 4, 0, 9000, 1280).rest()).isEqualTo(8186); // plateau 8166 + 20
    assertThat(IcmpMapping.v6ToV4(2, 0, 1500).rest()).isEqualTo(1480);
    assertThat(IcmpMapping.v6ToV4(2, 0, 70000).rest()).isEqualTo(65535);
  }
}
