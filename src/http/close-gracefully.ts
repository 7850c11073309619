import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closes a Fastify app (forceCloseConnections: 'idle') without waiting minutes on a browser.
 * Browsers open spare ("preconnected") sockets they may never send a request on; Node's
 * closeIdleConnections skips those, so close() waited for their headers timeout (~110 s for
 * `herald demo` after Ctrl-C with a browser open). Sockets that never sent a byte carry no request
 * and are destroyed at once; anything else still open after `graceMs` (a request in flight) is
 * cut, so a shutdown is bounded.
 */
export function trackConnections(server: Server, graceMs: number): { close(closeApp: () => Promise<void>): Promise<void> } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    async close(closeApp) {
      const closing = closeApp();
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(force);
      }
    },
  };
}
