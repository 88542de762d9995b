-- a folder name with a quote: hints that suggest SQL quote it
SELECT 1/0;
