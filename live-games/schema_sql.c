/*
 * schema_sql: the text of live-games/schema.sql for --init-db.
 * Keep in step with schema.sql: tests/unit/test_live_schema.c compares them.
 */
#include "schema_sql.h"

const char schema_sql[] =
    "-- live-games/schema.sql: the metadata live-games joins to ESPN's live\n"
    "-- scoreboard. Idempotent: safe to apply any number of times\n"
    "-- (live-games --init-db applies it). Never drops or rewrites data.\n"
    "\n"
    "CREATE SCHEMA IF NOT EXISTS espn;\n"
    "\n"
    "CREATE TABLE IF NOT EXISTS espn.scoreboard_games (\n"
    "\tgame_id\t\ttext PRIMARY KEY\n"
    "\t\t\tCHECK (game_id ~ '^[0-9]{1,20}$'),\n"
    "\thome_team\ttext NOT NULL,\t\t-- \"Indiana Pacers\"\n"
    "\taway_team\ttext NOT NULL,\t\t-- \"New York Knicks\"\n"
    "\thome_abbr\ttext NOT NULL,\t\t-- ESPN codes: \"IND\", \"NY\"\n"
    "\taway_abbr\ttext NOT NULL,\n"
    "\tstart_time\ttimestamptz,\t\t-- scheduled tip-off\n"
    "\tvenue\t\ttext,\n"
    "\tseason\t\tinteger,\t\t-- ESPN season year, 2025\n"
    "\tseason_type\tsmallint,\t\t-- 1 pre, 2 regular, 3 post\n"
    "\tupdated_at\ttimestamptz NOT NULL DEFAULT now()\n"
    ");\n"
    "\n"
    "-- Columns added after the first release go below as\n"
    "-- ALTER TABLE ... ADD COLUMN IF NOT EXISTS, so old databases catch up.\n"
    "\n"
    "CREATE INDEX IF NOT EXISTS scoreboard_games_start_time_idx\n"
    "\tON espn.scoreboard_games (start_time);\n";
