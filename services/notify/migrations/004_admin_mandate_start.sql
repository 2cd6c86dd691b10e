-- An admin mandate granted to start later gives no right before it starts (as in polls).
ALTER TABLE admin_mandates ADD COLUMN starts_at timestamptz;
