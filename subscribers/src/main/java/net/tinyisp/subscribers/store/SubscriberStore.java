package net.tinyisp.subscribers.store;

import java.util.List;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.Subscriber;

/** A writable subscriber store (SQLite or PostgreSQL). */
public interface SubscriberStore extends SubscriberDirectory {

  /** Adds a new plan; fails if the name exists. */
  void addPlan(Plan plan) throws StoreException;

  /** Adds or replaces a plan (import). */
  void putPlan(Plan plan) throws StoreException;

  List<Plan> plans() throws StoreException;

  /** Adds a new subscriber; fails if the username exists or the plan does not. */
  void addSubscriber(Subscriber s) throws StoreException;

  /** Adds or replaces a subscriber (import). */
  void putSubscriber(Subscriber s) throws StoreException;

  /** Subscribers by username, at most {@code limit}, starting after {@code afterUsername} (null = from the start). */
  List<Subscriber> subscribers(String afterUsername, int limit) throws StoreException;

  /** Moves a subscriber to another plan; returns false if the subscriber does not exist. */
  boolean setPlan(String username, String plan) throws StoreException;

  /** Enables or disables a subscriber; returns false if the subscriber does not exist. */
  boolean setEnabled(String username, boolean enabled) throws StoreException;
}
