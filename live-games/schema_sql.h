/* schema_sql: live-games/schema.sql, built in for --init-db. */
#ifndef LIVE_SCHEMA_SQL_H
#define LIVE_SCHEMA_SQL_H

/* The text of schema.sql (a unit test keeps the two equal). */
extern const char schema_sql[];

#endif
