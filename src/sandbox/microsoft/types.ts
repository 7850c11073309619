/** What the Microsoft sandbox knows and records; see ../microsoft-server.ts. */

export interface SandboxApp {
  clientId: string;
  /** The client secret; omit for an app that signs in only with its certificate. */
  secret?: string;
  /** The secret has passed its end date (AADSTS7000222). */
  secretExpired?: boolean;
  /** PEM of the certificate uploaded to the app registration (client assertions are checked against it). */
  certificatePem?: string;
  /** Application permissions with admin consent, e.g. `Mail.Send`, `Mail.ReadWrite`, `SMTP.SendAsApp`. */
  permissions: string[];
  /** RBAC for Applications / ApplicationAccessPolicy: the only mailboxes it may use; unset = all. */
  mailboxes?: string[];
}

export interface MicrosoftSandboxOptions {
  /** The server certificate and key (PEM), e.g. from createTestCertificates. */
  tls: { cert: string; key: string };
  tenantId: string;
  apps: SandboxApp[];
  /** Mailboxes that exist in the tenant (lower-case addresses). */
  mailboxes: string[];
  /** Lifetime of issued tokens; default 3600 s (Entra ID issues 60 to 90 minutes). */
  tokenLifetimeSeconds?: number;
  /** Each Graph request takes at least this long (to see concurrency); default 0. */
  latencyMs?: number;
  port?: number;
}

/** The endpoints a fault can be injected into. */
export type MicrosoftEndpoint = 'token' | 'sendMail' | 'delta' | 'mime' | 'update' | 'move';

export interface MicrosoftFault {
  status: number;
  /** Graph error code (`ErrorAccessDenied`) or OAuth2 error (`invalid_client`). */
  code?: string;
  message?: string;
  /** Sent as Retry-After (seconds) with 429 and 503. */
  retryAfterSeconds?: number;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface TokenGrant {
  clientId: string;
  /** `secret` or `certificate`. */
  credential: 'secret' | 'certificate';
  scope: string;
  token: string;
  at: number;
  expiresAt: number;
}

export interface GraphSentMail {
  mailbox: string;
  clientId: string;
  /** The MIME exactly as decoded from the base64 body. */
  raw: string;
  /** Header values by lower-case name, unfolded. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  at: number;
}

export interface GraphRequest {
  method: string;
  path: string;
  endpoint: MicrosoftEndpoint | 'openid' | 'other';
  status: number;
  /** When the request arrived, and when it was answered (ms since the epoch). */
  startedAt: number;
  at: number;
}

export interface InboxMessage {
  id: string;
  raw: string;
  isRead: boolean;
  folder: string;
  /** Change sequence: a delta returns what changed after its token. */
  seq: number;
}

export interface MicrosoftSandbox {
  /** `https://127.0.0.1:PORT`: both MS_AUTHORITY_HOST and MS_GRAPH_URL. */
  readonly url: string;
  readonly port: number;
  readonly grants: TokenGrant[];
  readonly sent: GraphSentMail[];
  readonly requests: GraphRequest[];
  /** The most sendMail requests seen in flight at once, per mailbox. */
  readonly maxInFlight: Record<string, number>;
  inject(endpoint: MicrosoftEndpoint, fault: MicrosoftFault): void;
  clearInjections(): void;
  /** Changes an app (e.g. expire its secret, withdraw a permission). */
  updateApp(clientId: string, change: Partial<SandboxApp>): void;
  /** Ends every token issued so far (as a revocation or an early expiry would): Graph answers 401 to them. */
  expireTokens(): void;
  /** Whether `token` is live and issued for `resource` (e.g. `https://outlook.office365.com`); its client id when it is. */
  checkToken(token: string, resource: string): string | undefined;
  /** Puts a message in a mailbox's inbox (as if it had arrived); returns its id. */
  deliver(mailbox: string, raw: string | Buffer): string;
  inbox(mailbox: string): InboxMessage[];
  /** Resolves once `n` messages have been sent through sendMail. */
  waitForSent(n: number, timeoutMs?: number): Promise<GraphSentMail[]>;
  close(): Promise<void>;
}
