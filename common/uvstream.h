/*
 * uvstream: the one libuv handle an NDJSON stream sits on, whichever
 * kind its spec opened: a pipe or a tty for stdin and stdout, a pipe for
 * a Unix socket. input.c and output.c embed it in what they own; a
 * stream's callbacks may take it as any of its members.
 */
#ifndef COURTSIDE_UVSTREAM_H
#define COURTSIDE_UVSTREAM_H

#include <uv.h>

union uvstream {
	uv_handle_t	h;
	uv_stream_t	s;
	uv_pipe_t	pipe;
	uv_tty_t	tty;
};

#endif
