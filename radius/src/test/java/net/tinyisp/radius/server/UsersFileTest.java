package net.tinyisp.radius.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.radius.dictionary.Dictionary;
import org.junit.jupiter.api.Test;

class UsersFileTest {
  private static UsersFile parse(String text) {
    return UsersFile.parse(text.lines().toList(), null, Dictionary.standard());
  }

  @Test
  void readsCheckAndReplyItemsLikeFreeradius() {
    UsersFile f = parse("""
        # comment
        user0001  Cleartext-Password := "pass0001"
                  RP-Upstream-Speed-Limit = 5120,
                  RP-Downstream-Speed-Limit = 10240,   # kbit/s
                  Acct-Interim-Interval = 300

        "with space" Cleartext-Password := "a \\"quoted\\" #pw", Auth-Type := Reject
                  Reply-Message = "Hello, world",
                  Fall-Through = Yes
        """);
    assertThat(f.entries()).hasSize(2);
    UsersFile.Entry a = f.entries().get(0);
    assertThat(a.username()).isEqualTo("user0001");
    assertThat(a.cleartextPassword()).isEqualTo("pass0001");
    assertThat(a.replyItems()).containsExactly(new ReplyItem("RP-Upstream-Speed-Limit", "5120"),
        new ReplyItem("RP-Downstream-Speed-Limit", "10240"), new ReplyItem("Acct-Interim-Interval", "300"));
    UsersFile.Entry b = f.entries().get(1);
    assertThat(b.username()).isEqualTo("with space");
    assertThat(b.cleartextPassword()).isEqualTo("a \"quoted\" #pw");
    assertThat(b.rejected()).isTrue();
    assertThat(b.replyItems()).containsExactly(new ReplyItem("Reply-Message", "Hello, world"));
    assertThat(b.line()).isEqualTo(7);
  }

  @Test
  void badReplyItemsNameTheLine() {
    assertThatThrownBy(() -> parse("u Cleartext-Password := \"p\"\n  No-Such-Attr = 1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(":2").hasMessageContaining("No-Such-Attr");
    assertThatThrownBy(() -> parse("u Cleartext-Password := \"p\"\n  RP-Upstream-Speed-Limit = fast\n"))
        .hasMessageContaining("number");
    assertThatThrownBy(() -> parse("u Cleartext-Password := \"p\"\n  Session-Timeout = 1\n  Idle-Timeout = 2\n"))
        .hasMessageContaining("trailing ','");
  }

  @Test
  void backendKeepsTheFirstEntryAndSkipsDefault() {
    UsersFileBackend b = new UsersFileBackend(parse("""
        DEFAULT Auth-Type := Accept
        u Cleartext-Password := "first"
        u Cleartext-Password := "second"
        """));
    assertThat(b.size()).isEqualTo(1);
    AuthAccount u = b.find("u").orElseThrow();
    assertThat(u.verifyPassword().test("first")).isTrue();
    assertThat(u.verifyPassword().test("second")).isFalse();
    assertThat(b.find("DEFAULT")).isEmpty();
    assertThat(List.of(u.cleartext())).containsExactly("first");
  }
}
