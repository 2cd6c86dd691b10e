"""The bus's Prometheus metrics, served by each worker's /metrics (see worker_health)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

CONSUMED = Counter("councils_bus_consumed_total", "Deliveries handled and acked", ["queue"])
PARKED = Counter("councils_bus_parked_total", "Deliveries parked", ["queue", "why"])
RETRIED = Counter("councils_bus_retried_total", "Deliveries sent back for a retry", ["queue"])
OUTBOX_BACKLOG = Gauge("councils_outbox_backlog", "Outbox rows not yet published", ["schema"])
RELAY_LAG = Gauge(
    "councils_relay_lag_seconds", "Age of the oldest outbox row not yet published", ["schema"]
)
