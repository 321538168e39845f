"""The ecosystem directory: organisations, facilities, relations, events and their sources."""
