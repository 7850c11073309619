import { createTransport } from 'nodemailer';
import { systemClock } from '../../../src/app/ports.ts';
import { startInbound } from '../../../src/main/inbound.ts';
import { describeInboundPath } from './inbound-suite.ts';

/** Real SMTP: nodemailer sends each fixture, unchanged, to the listener `herald serve` starts. */
describeInboundPath('the built-in SMTP listener', async ({ db, clock, config }) => {
  const inbound = await startInbound({ ...config, INBOUND_SMTP_PORT: 0, INBOUND_SMTP_HOST: '127.0.0.1' }, { db, clock: clock ?? systemClock });
  const port = inbound!.smtp!.port;
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return {
    async deliver(raw, envelope) {
      await transport.sendMail({ envelope, raw });
    },
    async close() {
      transport.close();
      await inbound!.close();
    },
  };
});
