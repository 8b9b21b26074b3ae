"""Accounts, roles and region scope, sessions with CSRF, API tokens, rate limiting and the audit of unmasked
views (issue 9). Web requests get `request.state.actor` and `request.state.scope` from `middleware.install`;
routers ask for `deps.current_actor` or `deps.require(...)`. See docs/security.md."""
