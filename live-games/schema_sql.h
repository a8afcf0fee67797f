/* schema_sql: live-games/schema.sql, built in for --init-db. */
#ifndef LIVE_SCHEMA_SQL_H
#define LIVE_SCHEMA_SQL_H

/* The text of schema.sql (the build generates schema_sql.c from it). */
extern const char schema_sql[];

#endif
