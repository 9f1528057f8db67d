package net.tinyisp.admin;

/**
 * A component's API endpoint. Routes run on a virtual thread, so they may block on a store; they must not throw
 * for bad input (answer 400 with {@link AdminResponse#error}); an escaping exception becomes a 500 and is logged.
 */
@FunctionalInterface
public interface AdminRoute {
  AdminResponse handle(AdminRequest request) throws Exception;
}
