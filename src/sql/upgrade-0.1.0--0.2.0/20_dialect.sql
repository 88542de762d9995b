
-- ---------------------------------------------------------------------
-- Dialects: the result of ferriorm_validate depends on the setting
-- ferriorm.dialect, so it is no longer immutable
-- ---------------------------------------------------------------------

ALTER FUNCTION ferriorm_validate(text) STABLE;
