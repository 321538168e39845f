"""Shared infrastructure: bookable resources, their rules, bookings, calendars and utilisation."""
