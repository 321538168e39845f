"""Accounts: users, roles, sessions, API tokens, the audit log and the in-app inbox."""
