-- fails on the duplicates of deploy_priv.secret: the error names the key
CREATE UNIQUE INDEX secret_email ON deploy_priv.secret (email);
