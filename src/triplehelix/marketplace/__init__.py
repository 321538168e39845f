"""The marketplace: typed posts (offers, requests, capacity, talent), their review and expiry,
matches, expressions of interest that become introductions by e-mail, alerts and demand figures."""
