CREATE TABLE setscope_after AS SELECT current_setting('lock_timeout') AS lt;
