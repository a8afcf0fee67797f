-- live-games/schema.sql: the metadata live-games joins to ESPN's live
-- scoreboard. Idempotent: safe to apply any number of times
-- (live-games --init-db applies it). Never drops or rewrites data.

CREATE SCHEMA IF NOT EXISTS espn;

CREATE TABLE IF NOT EXISTS espn.scoreboard_games (
	game_id		text PRIMARY KEY
			CHECK (game_id ~ '^[0-9]{1,20}$'),
	home_team	text NOT NULL,		-- "Indiana Pacers"
	away_team	text NOT NULL,		-- "New York Knicks"
	home_abbr	text NOT NULL,		-- ESPN codes: "IND", "NY"
	away_abbr	text NOT NULL,
	start_time	timestamptz,		-- scheduled tip-off
	venue		text,
	season		integer,		-- ESPN season year, 2025
	season_type	smallint,		-- 1 pre, 2 regular, 3 post
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Columns added after the first release go below as
-- ALTER TABLE ... ADD COLUMN IF NOT EXISTS, so old databases catch up.

CREATE INDEX IF NOT EXISTS scoreboard_games_start_time_idx
	ON espn.scoreboard_games (start_time);
