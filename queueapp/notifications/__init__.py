"""Messages to citizens outside the browser (WhatsApp, SMS, web push), with consent.

Below the services: a use case records consent and queues messages with `outbox` and
`triggers` INSIDE its own transaction (a row insert, no network). The `worker` delivers
the outbox through the `channels` registry after commit, in the serving process or in
`queueapp worker` processes; it alone does HTTP. docs/NOTIFICATIONS.md has the whole story."""
