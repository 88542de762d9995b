-- with standard_conforming_strings off the predicate is c = ''' AND false --'
-- (one literal); read with it on, it would be c = '\' AND false, then a comment
CREATE INDEX CONCURRENTLY scs_i ON scs_t (c) WHERE c = '\' AND false --';
