CREATE TABLE deploy_priv.owned_by_deployer (id int);
