package net.tinyisp.subscribers.store;

import java.util.Optional;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.Subscriber;

/** Reads subscribers and plans. The JDBC store and the read-only LDAP directory both answer it. */
public interface SubscriberDirectory {

  Optional<Subscriber> subscriber(String username) throws StoreException;

  Optional<Plan> plan(String name) throws StoreException;
}
