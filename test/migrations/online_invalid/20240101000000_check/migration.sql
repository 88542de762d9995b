-- the online form of adding a CHECK: added NOT VALID (new rows are checked
-- at once), committed, then validated against the existing rows
ALTER TABLE ov_t ADD CONSTRAINT ov_t_qty_check CHECK (qty >= 0) NOT VALID;
COMMIT;
ALTER TABLE ov_t VALIDATE CONSTRAINT ov_t_qty_check;
