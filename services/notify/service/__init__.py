"""notify's use cases, by area; each takes the `NotifyContext` first and opens its own
transaction unless it says it runs inside the caller's. Import the area module:
`from services.notify.service import preferences`."""
