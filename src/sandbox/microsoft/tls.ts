import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throwaway certificate authority for the Microsoft sandbox. msal-node refuses authorities that
 * are not https, and it fetches with Node's own fetch (undici), which trusts only the CA list
 * Node read at start: Node 20 has no way to add a CA to it at run time (tls.setDefaultCACertificates
 * came in Node 22.15), and msal-node's fetch takes no agent. So the CA is made before the process
 * that talks to the sandbox starts, and handed to it in NODE_EXTRA_CA_CERTS (vitest: the
 * globalSetup sets it before the test workers are forked; bench and demo: set it for the child).
 */
export interface TestCertificates {
  /** The CA certificate (PEM file): the value for NODE_EXTRA_CA_CERTS. */
  caPath: string;
  /** The server certificate for 127.0.0.1 and localhost, signed by the CA, and its key (PEM). */
  certPath: string;
  keyPath: string;
  /** A client certificate and key in one PEM file, as MS_CLIENT_CERTIFICATE_PATH wants it. */
  clientPemPath: string;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
};

/** Writes a CA, a server certificate and a client certificate into `dir` (openssl, ~100 ms). */
export function createTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const days = ['-days', '3650'];
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', ...days, '-subj', '/CN=Herald sandbox CA']);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    ...days,
    '-extfile',
    'server.ext',
  ]);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.crt', ...days, '-subj', '/CN=Herald sandbox app']);
  writeFileSync(join(dir, 'client.pem'), readFileSync(join(dir, 'client.crt'), 'utf8') + readFileSync(join(dir, 'client.key'), 'utf8'));
  return { caPath: join(dir, 'ca.pem'), certPath: join(dir, 'server.pem'), keyPath: join(dir, 'server.key'), clientPemPath: join(dir, 'client.pem') };
}

/** The SHA-256 thumbprint (hex) of the first certificate in a PEM: what a client assertion's `x5t#S256` names. */
export function certificateThumbprint(pem: string): string {
  const cert = new X509Certificate(pem);
  return createHash('sha256').update(cert.raw).digest('hex');
}
