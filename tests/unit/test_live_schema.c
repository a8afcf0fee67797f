/*
 * test_live_schema: the schema built into live-games for --init-db is
 * exactly live-games/schema.sql, and it is idempotent by construction.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "live-games/schema_sql.h"

int
main(void)
{
	size_t len = 0;
	char *file = t_slurp("live-games/schema.sql", &len);

	T_CHECK(file != NULL);
	if (file != NULL) {
		T_EQ_INT(strlen(schema_sql), len);
		T_CHECK(strcmp(schema_sql, file) == 0);
	}
	/* Safe to apply twice: every CREATE says IF NOT EXISTS. */
	T_CHECK(strstr(schema_sql, "CREATE SCHEMA IF NOT EXISTS espn") != NULL);
	T_CHECK(strstr(schema_sql,
	    "CREATE TABLE IF NOT EXISTS espn.scoreboard_games") != NULL);
	T_CHECK(strstr(schema_sql, "DROP ") == NULL);
	free(file);
	return t_done("test_live_schema");
}
