"""The office-day simulator: a whole day of citizens and clerks run through the real
service layer on a simulated clock, to measure the waiting-time estimates (docs/ETA.md)."""
