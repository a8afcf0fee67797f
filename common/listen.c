/* listen: a bind probe for servers built on libwebsockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"

int
listen_probe(const char *iface, int port, struct errbuf *err)
{
	struct sockaddr_in sin;
	int fd, one = 1, rc = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (iface != NULL && inet_pton(AF_INET, iface, &sin.sin_addr) != 1)
		return 0;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	/* As lws does, so that a port in TIME_WAIT is not refused here. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		rc = errbuf_set(err, "cannot listen on %s:%d: %s",
		    iface ? iface : "*", port, strerror(errno));
	close(fd);
	return rc;
}
