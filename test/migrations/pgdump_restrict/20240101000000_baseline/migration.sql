--
-- PostgreSQL database dump
--

\restrict Xb3kQ0abcdef

SET statement_timeout = 0;
CREATE TABLE deploy_e.restricted (id integer);

\unrestrict Xb3kQ0abcdef
