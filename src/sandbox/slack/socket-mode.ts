import { HeraldError } from '../../domain/errors.ts';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SandboxSocketMode } from './types.ts';

/**
 * The Socket Mode peer on the sandbox's HTTP server (`/socket-mode`): hello on connect, envelopes
 * out, acks (`{ envelope_id, payload? }`) back; pings keep the client's watchdog quiet.
 */
export function attachSocketMode(server: Server, nextId: () => number): { socketMode: SandboxSocketMode; close(): void } {
  const sockets = new Set<WebSocket>();
  const pendingAcks = new Map<string, (payload: unknown) => void>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/socket-mode')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        try {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id) pendingAcks.get(msg.envelope_id)?.(msg.payload);
        } catch {
          // not an ack
        }
      });
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: sockets.size, debug_info: { host: 'herald-sandbox' }, connection_info: { app_id: 'A0SANDBOX' } }),
      );
    });
  });
  const pinger = setInterval(() => sockets.forEach((ws) => ws.ping()), 5_000);
  pinger.unref();

  const socketMode: SandboxSocketMode = {
    get connections() {
      return sockets.size;
    },
    async waitForConnection(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (sockets.size === 0) {
        if (Date.now() > until) throw new HeraldError('INTERNAL', 'no Socket Mode client connected to the Slack sandbox');
        await sleep(20);
      }
    },
    deliver(type, payload, timeoutMs = 5_000) {
      const ws = [...sockets][0];
      if (!ws) return Promise.reject(new Error('no Socket Mode client connected'));
      const envelopeId = `env-${nextId().toString(36)}`;
      const sent = Date.now();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`Socket Mode envelope ${envelopeId} was not acknowledged within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (ackPayload) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve({ ackMs: Date.now() - sent, payload: ackPayload });
        });
        ws.send(
          JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }),
        );
      });
    },
  };

  return {
    socketMode,
    close() {
      clearInterval(pinger);
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
