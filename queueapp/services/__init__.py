"""Write side: one module per area; each public function is one use case and one
transaction, takes `now`, records its events, and returns a small fact (which ticket,
which appointment); the read side (queueapp.queries) shows it."""
