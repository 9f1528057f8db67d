package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every packet of one flow hashes alike (no reordering inside a flow); different ports make different flows. */
class FlowHashTest {

    private static byte[] ipv6Tcp(int srcPort, int seq) {
        byte[] p = new byte[60];
        p[0] = 0x60;
        p[6] = 6; // TCP
        p[8] = 0x20;
        p[9] = 0x01; // 2001:db8::...
        p[39] = 1;
        p[40] = (byte) (srcPort >> 8);
        p[41] = (byte) srcPort;
        p[43] = 80;
        p[44] = (byte) (seq >> 24); // the sequence number differs per packet and must not matter
        p[47] = (byte) seq;
        return p;
    }

    private static byte[] ipv4Udp(int srcPort, int id) {
        byte[] p = new byte[48];
        p[0] = 0x45; // IPv4, IHL 5
        p[4] = (byte) (id >> 8); // identification differs per packet
        p[5] = (byte) id;
        p[9] = 17; // UDP
        p[12] = (byte) 198;
        p[13] = 51;
        p[14] = 100;
        p[15] = 7;
        p[16] = (byte) 203;
        p[17] = 0;
        p[18] = 113;
        p[19] = 9;
        p[20] = (byte) (srcPort >> 8);
        p[21] = (byte) srcPort;
        p[23] = 53;
        p[30] = (byte) id; // payload
        return p;
    }

    @Test
    void ipv6FlowsHashOnTheFiveTuple() {
        assertThat(FlowHash.ip(ipv6Tcp(40000, 1), 60)).isEqualTo(FlowHash.ip(ipv6Tcp(40000, 99_999), 60));
        assertThat(FlowHash.ip(ipv6Tcp(40000, 1), 60)).isNotEqualTo(FlowHash.ip(ipv6Tcp(40001, 1), 60));
        assertThat(FlowHash.ip(new byte[10], 10)).isZero();
    }

    @Test
    void ipv4FlowsHashOnTheFiveTupleAndFragmentsStayTogetherWithoutPorts() {
        assertThat(FlowHash.ip(ipv4Udp(5000, 1), 48)).isEqualTo(FlowHash.ip(ipv4Udp(5000, 2), 48));
        assertThat(FlowHash.ip(ipv4Udp(5000, 1), 48)).isNotEqualTo(FlowHash.ip(ipv4Udp(5001, 1), 48));
        byte[] later = ipv4Udp(5000, 1);
        later[7] = 100; // fragment offset 100: no ports in this fragment
        byte[] otherLater = ipv4Udp(6000, 1);
        otherLater[7] = 100;
        assertThat(FlowHash.ip(later, 48)).isEqualTo(FlowHash.ip(otherLater, 48));
    }
}
