-- live-games/sample.sql: the games of the recorded ESPN fixtures in
-- tests/data/espn (scoreboards of 2024-12-15 and 2025-05-29, and the
-- summary of game 401772994, NY at IND), as espn-poll would store them.
-- Apply after schema.sql; idempotent (rows are replaced by game_id).
-- The rows are COPY data (tab-separated), read by psql from this file.

BEGIN;
CREATE TEMPORARY TABLE sample_games
	(LIKE espn.scoreboard_games INCLUDING DEFAULTS) ON COMMIT DROP;
COPY sample_games (game_id, home_team, away_team, home_abbr, away_abbr,
	start_time, venue, season, season_type) FROM stdin;
401736810	Indiana Pacers	New Orleans Pelicans	IND	NO	2024-12-15T22:00:00Z	Gainbridge Fieldhouse	2025	2
401736811	Washington Wizards	Boston Celtics	WSH	BOS	2024-12-15T23:00:00Z	Capital One Arena	2025	2
401737902	Orlando Magic	New York Knicks	ORL	NY	2024-12-15T23:00:00Z	Kia Center	2025	2
401736812	San Antonio Spurs	Minnesota Timberwolves	SA	MIN	2024-12-16T00:00:00Z	Frost Bank Center	2025	2
401736813	Phoenix Suns	Portland Trail Blazers	PHX	POR	2024-12-16T01:00:00Z	PHX Arena	2025	2
401737912	Golden State Warriors	Dallas Mavericks	GS	DAL	2024-12-16T01:30:00Z	Chase Center	2025	2
401736814	Los Angeles Lakers	Memphis Grizzlies	LAL	MEM	2024-12-16T02:30:00Z	crypto.com Arena	2025	2
401772993	New York Knicks	Indiana Pacers	NY	IND	2025-05-30T00:00:00Z	Madison Square Garden	2025	3
401772994	Indiana Pacers	New York Knicks	IND	NY	2025-06-01T00:00:00Z	Gainbridge Fieldhouse	2025	3
\.
DELETE FROM espn.scoreboard_games
	WHERE game_id IN (SELECT game_id FROM sample_games);
INSERT INTO espn.scoreboard_games SELECT * FROM sample_games;
COMMIT;
