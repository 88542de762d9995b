SET lock_timeout = '1234ms';
SET search_path = pg_catalog;
CREATE TABLE deploy_t.setscope_check AS SELECT current_setting('lock_timeout') AS lt;
