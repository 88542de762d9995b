SELECT * FROM ferriorm_deploy(current_setting('ferriorm_test.mig') || 'recursive');
