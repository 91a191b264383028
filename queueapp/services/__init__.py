"""Use cases: each public function is one transaction, takes `now`, and writes the event log."""
