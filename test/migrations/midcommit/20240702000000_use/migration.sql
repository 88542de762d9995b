ALTER TYPE mc_kind ADD VALUE 'c';
