-- written for standard_conforming_strings = off (the deploying session's)
CREATE TABLE scs_t (c text);
