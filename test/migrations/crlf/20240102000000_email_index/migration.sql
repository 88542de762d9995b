-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- seed with a function body containing semicolons
CREATE FUNCTION "users_count"() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM users; -- ; inside
$$;
