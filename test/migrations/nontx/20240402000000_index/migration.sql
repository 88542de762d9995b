-- build the index without blocking writes
CREATE INDEX CONCURRENTLY nontx_t_email_idx
    ON nontx_t (email);
