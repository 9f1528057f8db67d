package net.tinyisp.subscribers.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;

/** Subscribers and plans in SQLite or PostgreSQL (same SQL on both; see {@link Dialect}). */
public final class JdbcSubscriberStore implements SubscriberStore {
  private static final String SUBSCRIBER_COLUMNS = "username, password, chap_capable, plan, framed_ipv6_prefix,"
      + " delegated_ipv6_prefix, enabled, data_cap_bytes";

  private final Database db;

  public JdbcSubscriberStore(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  @Override
  public Optional<Subscriber> subscriber(String username) throws StoreException {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement(
            "SELECT " + SUBSCRIBER_COLUMNS + " FROM subscribers WHERE username = ?")) {
      p.setString(1, username);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(subscriberRow(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("read subscriber " + username, e);
    }
  }

  @Override
  public Optional<Plan> plan(String name) throws StoreException {
    try (Connection c = db.connection()) {
      return readPlan(c, name);
    } catch (SQLException e) {
      throw failed("read plan " + name, e);
    }
  }

  @Override
  public List<Plan> plans() throws StoreException {
    try (Connection c = db.connection()) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM plans ORDER BY name");
          ResultSet r = p.executeQuery()) {
        while (r.next()) names.add(r.getString(1));
      }
      List<Plan> out = new ArrayList<>();
      for (String n : names) readPlan(c, n).ifPresent(out::add);
      return out;
    } catch (SQLException e) {
      throw failed("list plans", e);
    }
  }

  @Override
  public void addPlan(Plan plan) throws StoreException {
    writePlan(plan, false);
  }

  @Override
  public void putPlan(Plan plan) throws StoreException {
    writePlan(plan, true);
  }

  private void writePlan(Plan plan, boolean replace) throws StoreException {
    try {
      db.inTransaction(c -> {
        boolean exists = readPlanRow(c, plan.name());
        if (exists && !replace) {
          throw new SQLException(new StoreException("plan " + plan.name() + " already exists"));
        }
        String sql = exists
            ? "UPDATE plans SET down_kbps = ?, up_kbps = ?, down_ceil_kbps = ?, up_ceil_kbps = ?,"
                + " interim_interval = ?, session_timeout = ? WHERE name = ?"
            : "INSERT INTO plans (down_kbps, up_kbps, down_ceil_kbps, up_ceil_kbps, interim_interval,"
                + " session_timeout, name) VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setLong(1, plan.downKbps());
          p.setLong(2, plan.upKbps());
          p.setLong(3, plan.downCeilKbps());
          p.setLong(4, plan.upCeilKbps());
          p.setInt(5, plan.interimInterval());
          p.setInt(6, plan.sessionTimeout());
          p.setString(7, plan.name());
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM plan_reply_items WHERE plan = ?")) {
          p.setString(1, plan.name());
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO plan_reply_items (plan, position, attribute, value) VALUES (?, ?, ?, ?)")) {
          int i = 0;
          for (PlanReplyItem item : plan.replyItems()) {
            p.setString(1, plan.name());
            p.setInt(2, i++);
            p.setString(3, item.attribute());
            p.setString(4, item.value());
            p.addBatch();
          }
          if (i > 0) p.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw failed("write plan " + plan.name(), e);
    }
  }

  @Override
  public void addSubscriber(Subscriber s) throws StoreException {
    writeSubscriber(s, false);
  }

  @Override
  public void putSubscriber(Subscriber s) throws StoreException {
    writeSubscriber(s, true);
  }

  private void writeSubscriber(Subscriber s, boolean replace) throws StoreException {
    try {
      db.inTransaction(c -> {
        if (!readPlanRow(c, s.plan())) {
          throw new SQLException(new StoreException("plan " + s.plan() + " does not exist; add it first"));
        }
        boolean exists;
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM subscribers WHERE username = ?")) {
          p.setString(1, s.username());
          try (ResultSet r = p.executeQuery()) {
            exists = r.next();
          }
        }
        if (exists && !replace) {
          throw new SQLException(new StoreException("subscriber " + s.username() + " already exists"));
        }
        long now = System.currentTimeMillis();
        String sql = exists
            ? "UPDATE subscribers SET password = ?, chap_capable = ?, plan = ?, framed_ipv6_prefix = ?,"
                + " delegated_ipv6_prefix = ?, enabled = ?, data_cap_bytes = ?, updated_ms = ? WHERE username = ?"
            : "INSERT INTO subscribers (password, chap_capable, plan, framed_ipv6_prefix, delegated_ipv6_prefix,"
                + " enabled, data_cap_bytes, updated_ms, username, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, s.password().encoded());
          p.setBoolean(2, s.chapCapable());
          p.setString(3, s.plan());
          setPrefix(p, 4, s.framedIpv6Prefix());
          setPrefix(p, 5, s.delegatedIpv6Prefix());
          p.setBoolean(6, s.enabled());
          p.setLong(7, s.dataCapBytes());
          p.setLong(8, now);
          p.setString(9, s.username());
          if (!exists) p.setLong(10, now);
          p.executeUpdate();
        }
        return null;
      });
    } catch (SQLException e) {
      throw failed("write subscriber " + s.username(), e);
    }
  }

  @Override
  public List<Subscriber> subscribers(String afterUsername, int limit) throws StoreException {
    String sql = "SELECT " + SUBSCRIBER_COLUMNS + " FROM subscribers"
        + (afterUsername == null ? "" : " WHERE username > ?") + " ORDER BY username LIMIT ?";
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      if (afterUsername != null) p.setString(i++, afterUsername);
      p.setInt(i, limit);
      List<Subscriber> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) out.add(subscriberRow(r));
      }
      return out;
    } catch (SQLException e) {
      throw failed("list subscribers", e);
    }
  }

  @Override
  public boolean setPlan(String username, String plan) throws StoreException {
    try {
      return db.inTransaction(c -> {
        if (!readPlanRow(c, plan)) {
          throw new SQLException(new StoreException("plan " + plan + " does not exist"));
        }
        return update(c, "UPDATE subscribers SET plan = ?, updated_ms = ? WHERE username = ?", plan, username);
      });
    } catch (SQLException e) {
      throw failed("set plan of " + username, e);
    }
  }

  @Override
  public boolean setEnabled(String username, boolean enabled) throws StoreException {
    try {
      return db.inTransaction(c ->
          update(c, "UPDATE subscribers SET enabled = ?, updated_ms = ? WHERE username = ?", enabled, username));
    } catch (SQLException e) {
      throw failed("set enabled of " + username, e);
    }
  }

  private static boolean update(Connection c, String sql, Object value, String username) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setObject(1, value);
      p.setLong(2, System.currentTimeMillis());
      p.setString(3, username);
      return p.executeUpdate() == 1;
    }
  }

  private static boolean readPlanRow(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM plans WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  static Optional<Plan> readPlan(Connection c, String name) throws SQLException {
    long down, up, downCeil, upCeil;
    int interim, timeout;
    try (PreparedStatement p = c.prepareStatement("SELECT down_kbps, up_kbps, down_ceil_kbps, up_ceil_kbps,"
        + " interim_interval, session_timeout FROM plans WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) return Optional.empty();
        down = r.getLong(1);
        up = r.getLong(2);
        downCeil = r.getLong(3);
        upCeil = r.getLong(4);
        interim = r.getInt(5);
        timeout = r.getInt(6);
      }
    }
    List<PlanReplyItem> items = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT attribute, value FROM plan_reply_items WHERE plan = ? ORDER BY position")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) items.add(new PlanReplyItem(r.getString(1), r.getString(2)));
      }
    }
    return Optional.of(new Plan(name, down, up, downCeil, upCeil, interim, timeout, items));
  }

  private static Subscriber subscriberRow(ResultSet r) throws SQLException {
    return new Subscriber(r.getString(1), StoredPassword.decode(r.getString(2)), r.getBoolean(3), r.getString(4),
        prefix(r.getString(5)), prefix(r.getString(6)), r.getBoolean(7), r.getLong(8));
  }

  private static IpPrefix prefix(String text) {
    return text == null ? null : IpPrefix.parse(text);
  }

  private static void setPrefix(PreparedStatement p, int i, IpPrefix prefix) throws SQLException {
    if (prefix == null) {
      p.setNull(i, Types.VARCHAR);
    } else {
      p.setString(i, prefix.toString());
    }
  }

  /** Unwraps a refusal raised inside a transaction, or wraps a database failure. */
  static StoreException failed(String what, SQLException e) {
    if (e.getCause() instanceof StoreException se) return se;
    return new StoreException("cannot " + what + ": " + e.getMessage(), e);
  }
}
