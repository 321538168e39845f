"""Matchmaking: "who in the region can help me with X?" — ranked and explained answers."""
